"""Exchange: reading, importing and exporting `mediator-case/1` documents, the bulk loader and the demo county."""
