"""Names, mobile numbers and identity numbers of the demo people, each new one distinct."""
from __future__ import annotations

import random
from bisect import bisect

from mediator.services.exchange.demo_data.tables import (
    FEMALE_GIVEN,
    ID_PREFIX,
    MALE_GIVEN,
    MOBILE_HEADS,
    SURNAME_CUM,
    SURNAME_LIST,
)


class Names:
    """Names, phone numbers and identity numbers, each new one distinct where it must be."""

    def __init__(self) -> None:
        self._taken_names: set[str] = set()
        self._taken_ids: set[str] = set()
        self._taken_phones: set[str] = set()

    def reserve(self, name: str) -> None:
        self._taken_names.add(name)

    @staticmethod
    def name(rng: random.Random, male: bool) -> str:
        r = rng.random
        surname = SURNAME_LIST[bisect(SURNAME_CUM, r() * SURNAME_CUM[-1])]
        given = MALE_GIVEN if male else FEMALE_GIVEN
        return surname + given[int(r() * len(given))]

    def unique_name(self, rng: random.Random) -> str:
        while True:
            candidate = self.name(rng, rng.random() < 0.6)
            if candidate not in self._taken_names:
                self._taken_names.add(candidate)
                return candidate

    def mobile(self, rng: random.Random) -> str:
        r, taken = rng.random, self._taken_phones
        while True:
            head = MOBILE_HEADS[int(r() * len(MOBILE_HEADS))]
            phone = head + str(100000000 + int(r() * 1e8))[1:]
            if phone not in taken:
                taken.add(phone)
                return phone

    def id_number(self, rng: random.Random, birth_iso: str, male: bool, check_char) -> str | None:
        """A new number for a birth date (None when that day's sequence numbers look used up)."""
        head = ID_PREFIX + birth_iso.replace("-", "")
        r, taken = rng.random, self._taken_ids
        for _ in range(20):
            seq = int(r() * 500) * 2 + male  # the 17th digit is odd for men
            first17 = head + str(1000 + seq)[1:]
            if first17 not in taken:
                taken.add(first17)
                return first17 + check_char(first17)
        return None
