"""Places: the region tree (county → township → village/community → grid), organisations and mediators."""
