; Inno Setup script of 调解通 (Inno Setup 6): an installer for the folder PyInstaller built.
; Build on Windows, from the repository root:
;   pyinstaller --noconfirm --distpath dist --workpath build packaging\mediator.spec
;   iscc packaging\mediator.iss            (or: iscc /DAppVersion=0.1.0 packaging\mediator.iss)
; Output: dist\installer\调解通-<version>-安装程序.exe
; The data (database, backups, logs) lives in the user's data folder (%LOCALAPPDATA%\mediator),
; never in the program folder: an uninstall or an upgrade leaves it alone.

#ifndef AppVersion
  #define AppVersion "0.1.0"   ; kept in step with pyproject.toml and mediator/version.py
#endif
#define AppName "调解通"
#define AppExe "mediator.exe"

[Setup]
AppId={{6F1B3C2E-8D4A-4E7B-9C5D-2A7E1F0B6D38}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=调解通
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; per-user install without administrator rights when the user chooses it
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-安装程序
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
CloseApplications=yes

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
; ChineseSimplified.isl (jrsoftware.org/files/istrans) not in Inno Setup's Languages folder
Name: "default"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式："

[Files]
Source: "..\dist\mediator\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\卸载{#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "立即运行{#AppName}"; Flags: nowait postinstall skipifsilent
