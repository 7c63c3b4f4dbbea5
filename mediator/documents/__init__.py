"""Official documents: form specs (forms/*.toml), their context, PDF and DOCX renderers."""
