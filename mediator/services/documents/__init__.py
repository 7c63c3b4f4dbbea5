"""Official documents of a case: forms, the print context, rendering, the dossier (卷宗) and issued papers."""
