"""Identity resolution on the demo data, checked against the simulated world.

The generator plants persons whose email is cased or padded differently and
whose phone is written with or without +55 or the ninth digit across tools
(`has_identity_variants`), WhatsApp ids registered without the ninth digit
(`old_whatsapp_id`), and six persons who give one company switchboard as their
phone. Hashes are recomputed here in Python from the world's clean values with
the same salt, so the test knows each person's nodes without reading any PII
from the warehouse.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict

from conftest import SEEDS_RAW, query
from jornada_gen.world import Person, World

DEV_SALT = "jornada-dev-salt-not-for-production"


def salted_hash(value: str) -> str:
    salt = os.environ.get("JORNADA_HASH_SALT", DEV_SALT)
    return hashlib.sha256((salt + value).encode()).hexdigest()


def node_keys(person: Person) -> list[str]:
    """Every identifier node the warehouse should hold for a person."""
    keys = [f"email:{salted_hash(person.email.strip().lower())}", f"crm_contact:{person.crm_contact_id}"]
    if person.company_phone is None:
        keys.append(f"phone:{salted_hash(person.phone)}")
    if person.store_customer_id:
        keys.append(f"store_customer:{person.store_customer_id}")
    if person.billing_customer_id:
        keys.append(f"billing_customer:{person.billing_customer_id}")
    return keys


def persons_of(warehouse, keys: list[str]) -> dict[str, str]:
    """node_key -> person_id for the keys the data links to at least one other identifier."""
    values = ", ".join(f"'{key}'" for key in keys)
    rows = query(
        warehouse,
        f"""
        select nodes.node_key, nodes.person_id
        from intermediate.int_identity_nodes_resolved as nodes
        where nodes.node_key in ({values})
          and exists (
              select 1 from intermediate.int_identity_edges_unioned as edges
              where nodes.node_key in (edges.from_node_key, edges.to_node_key)
          )
        """,
    )
    return dict(rows)


def raw_email_spellings(emails: set[str]) -> dict[str, set[str]]:
    """Distinct ways each email is written across every raw seed file."""
    wanted = {email.lower(): email for email in emails}
    pattern = re.compile("|".join(re.escape(email) for email in wanted), re.IGNORECASE)
    found: dict[str, set[str]] = defaultdict(set)
    for path in SEEDS_RAW.rglob("*.csv"):
        text = path.read_text()
        for match in pattern.finditer(text):
            start, end = match.span()
            while start > 0 and text[start - 1] == " ":
                start -= 1
            while end < len(text) and text[end] == " ":
                end += 1
            found[match.group(0).lower()].add(text[start:end])
    return found


def test_planted_identity_variants_resolve_to_one_person_each(warehouse, world: World) -> None:
    planted = [p for p in world.persons if p.has_identity_variants or p.old_whatsapp_id]
    assert len(planted) > 100, "expected the generator's planted identity variants"

    spellings = raw_email_spellings({p.email for p in planted if p.has_identity_variants})
    written_differently = [email for email, ways in spellings.items() if len(ways) > 1]
    assert len(written_differently) >= 20, "the raw exports should carry differently written emails"

    persons_per_planted = []
    for person in planted:
        resolved = persons_of(warehouse, node_keys(person))
        assert f"crm_contact:{person.crm_contact_id}" in resolved
        assert f"email:{salted_hash(person.email.strip().lower())}" in resolved
        persons_per_planted.append(len(set(resolved.values())))
    merged = sum(1 for count in persons_per_planted if count == 1)
    assert merged == len(planted), (
        f"{len(planted)} planted persons ({len(written_differently)} with emails written in several ways) "
        f"resolve to one person_id each: {merged}"
    )


def test_every_recipient_spelling_normalises_to_a_real_person(warehouse, world: World) -> None:
    """Every email and phone a messaging tool wrote, in whatever spelling, hashes to a real person's
    clean identifier; recipients the data links to a CRM contact resolve to that person. Phones that no
    record links to anything (the CRM lacks 5% of phones by design) stay persons of their own: counted."""
    clean = {f"email:{salted_hash(p.email)}" for p in world.persons}
    clean |= {f"phone:{salted_hash(p.phone)}" for p in world.persons}
    clean |= {f"phone:{salted_hash(p.company_phone)}" for p in world.persons if p.company_phone}
    rows = query(
        warehouse,
        """
        with recipients as (
            select 'email:' || email_hash as node_key from staging.stg_sendgrid__events
            union select 'phone:' || phone_hash from staging.stg_whatsapp__statuses
            union select 'phone:' || phone_hash from staging.stg_twilio__status_callbacks where phone_hash is not null
        )
        select recipients.node_key, persons.crm_contact_id is not null, persons.identifiers
        from recipients
        inner join intermediate.int_identity_nodes_resolved as nodes using (node_key)
        inner join intermediate.int_persons_aggregated as persons using (person_id)
        """,
    )
    assert len(rows) > 1000
    not_normalised = [key for key, _, _ in rows if key not in clean]
    assert not_normalised == []
    unlinked = [key for key, has_crm_contact, identifiers in rows if not has_crm_contact]
    assert all(identifiers == 1 for _, has_crm_contact, identifiers in rows if not has_crm_contact)
    assert len(unlinked) / len(rows) < 0.02, f"{len(unlinked)} of {len(rows)} recipients are linked to nothing"


def test_shared_switchboard_does_not_merge_its_users(warehouse, world: World) -> None:
    sharing = [p for p in world.persons if p.company_phone is not None]
    assert len(sharing) == 6
    person_ids = {
        persons_of(warehouse, [f"crm_contact:{p.crm_contact_id}"])[f"crm_contact:{p.crm_contact_id}"] for p in sharing
    }
    assert len(person_ids) == 6
    switchboard = f"phone:{salted_hash('+551130031234')}"
    rows = query(
        warehouse,
        f"""
        select persons_kept_apart from intermediate.int_identity_shared_identifiers
        where node_key = '{switchboard}'
        """,
    )
    assert rows and rows[0][0] >= 6


def test_person_id_is_the_hash_of_the_component_label(warehouse) -> None:
    """Deterministic ids: a pure function of the earliest identifier of each component."""
    rows = query(
        warehouse,
        """
        select count(*) from intermediate.int_identity_nodes_resolved
        where person_id <> 'per_' || substr(md5(component_label), 1, 16)
        """,
    )
    assert rows == [(0,)]
    sql = """
        select count(distinct component_label), count(distinct person_id)
        from intermediate.int_identity_nodes_resolved
    """
    ((labels, person_ids),) = query(warehouse, sql)
    assert labels == person_ids
