"""The case workspace (one case: header, actions, record tabs) and the agreement editor."""
