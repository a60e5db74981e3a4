"""How each tool writes a person's email and phone.

Most persons are written the same way everywhere. Persons with
`has_identity_variants` (about 3%, planted) have their email differently
cased or padded and their phone written with or without +55 or the ninth
digit in some records, as happens when customers type their own data. The
WhatsApp `wa_id` of a Brazilian number registered before the ninth digit was
introduced lacks it (`old_whatsapp_id`), as the Cloud API really reports it.
"""

from __future__ import annotations

import random

from jornada_gen.world import Person


def email_as_written(person: Person, rng: random.Random) -> str:
    if not person.has_identity_variants or rng.random() < 0.4:
        return person.email
    local, domain = person.email.split("@")
    variants = [
        f"{local.title()}@{domain.capitalize()}",
        f" {person.email.upper()}",
        f"{person.email} ",
        f"{local.capitalize()}@{domain}",
    ]
    return rng.choice(variants)


def national_digits(person: Person) -> tuple[str, str]:
    """(area code, subscriber number with the ninth digit) of an E.164 +55 phone."""
    digits = person.phone.removeprefix("+55")
    return digits[:2], digits[2:]


def phone_as_written(person: Person, rng: random.Random, usual: str = "e164") -> str:
    """The phone in the tool's usual format, or (for planted persons) a variant.

    Persons with a `company_phone` type their company's switchboard wherever
    they fill in a phone themselves: one number shared by several persons,
    which identity resolution must not use to merge them.
    """
    if person.company_phone is not None:
        return "(11) 3003-1234" if usual == "pretty" else person.company_phone
    area, number = national_digits(person)
    formats = {
        "e164": f"+55{area}{number}",
        "pretty": f"({area}) {number[:5]}-{number[5:]}",
        "spaced": f"+55 {area} {number[:5]}-{number[5:]}",
        "national": f"{area}{number}",
        "digits": f"55{area}{number}",
        "no_ninth": f"+55 {area} {number[1:5]}-{number[5:]}",
        "no_ninth_national": f"({area}) {number[1:5]}-{number[5:]}",
    }
    if person.has_identity_variants and rng.random() < 0.6:
        return formats[rng.choice(["pretty", "national", "digits", "no_ninth", "no_ninth_national"])]
    return formats[usual]


def whatsapp_id(person: Person) -> str:
    """The Cloud API `wa_id` / `recipient_id`: digits only, country code first."""
    area, number = national_digits(person)
    if person.old_whatsapp_id:
        number = number[1:]
    return f"55{area}{number}"
