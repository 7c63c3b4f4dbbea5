"""调解通 (mediator): case manager for grassroots dispute mediation."""
