"""Legal advisors (一村（社区）一法律顾问): registry, appointments, reviews, the service ledger and its sheets."""
