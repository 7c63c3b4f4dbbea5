"""读取身份证照片: OCR of 居民身份证 photos into party fields (no database)."""
