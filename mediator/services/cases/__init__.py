"""Cases: inputs, numbering, the lifecycle's writes, deadlines, reading, search, attachments and personal data."""
