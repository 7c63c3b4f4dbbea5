"""Loading the demo county after the first-run wizard: a progress dialog from the first moment."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QProgressDialog

from mediator.ui.env import UiEnv
from mediator.ui.errors import inform, show_error


def load_demo_in_background(env: UiEnv, window: QMainWindow, cases: int) -> QProgressDialog:
    """Load the demo (into the user's own county and township) on a worker thread.

    The window is painted first and a busy progress dialog is shown at once, so the person never
    looks at a blank window while thousands of rows are written. Returns the dialog (closed when
    the load ends).
    """
    from mediator.services.exchange.demo import load_demo

    dialog = QProgressDialog(f"正在载入示范数据和{cases}件示例案件，请稍候…", "", 0, 0, window)
    dialog.setWindowTitle("载入示范数据")
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.show()
    window.statusBar().showMessage("正在载入示范数据…")
    QApplication.processEvents()  # the window and the dialog are drawn before the work starts

    def finish() -> None:
        dialog.reset()
        dialog.close()
        window.statusBar().clearMessage()

    def done(result) -> None:
        finish()
        env.signals.reference_changed.emit()
        env.signals.cases_changed.emit([])
        inform(window, "示范数据", f"示范数据已载入本单位所在县：{result.summary()}")

    def failed(exc: BaseException) -> None:
        finish()
        show_error(window, exc)

    ctx = env.ctx
    env.runner.run(lambda: load_demo(ctx, cases=cases), on_done=done, on_error=failed, parent=window)
    return dialog
