"""The demo-data generator: deterministic, documented, and the source of the committed seeds."""

from __future__ import annotations

import filecmp
import random
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT_DIR, SEEDS_RAW
from jornada_gen.identifiers import phone_as_written, whatsapp_id
from jornada_gen.world import build_world

GENERATOR = str(PROJECT_DIR / "scripts" / "generate_raw.py")


def test_help_describes_the_options() -> None:
    result = subprocess.run([sys.executable, GENERATOR, "--help"], capture_output=True, text=True, check=True)
    for option in ("--persons", "--days", "--seed", "--out", "--format", "--only"):
        assert option in result.stdout


def test_the_committed_seeds_are_what_the_generator_writes(tmp_path: Path) -> None:
    """Same seed, same world: regenerating the demo reproduces every committed seed byte for byte."""
    subprocess.run([sys.executable, GENERATOR, "--seeds-dir", str(tmp_path)], check=True, capture_output=True)
    committed = sorted(p.relative_to(SEEDS_RAW) for p in SEEDS_RAW.rglob("*") if p.is_file())
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert generated == committed
    _, mismatch, errors = filecmp.cmpfiles(SEEDS_RAW, tmp_path, [str(p) for p in committed], shallow=False)
    assert mismatch == [] and errors == []


def test_default_world_size_and_window() -> None:
    world = build_world()
    assert len(world.persons) == 2000
    assert world.days == 90
    assert {m.channel for m in world.messages} == {"email", "whatsapp", "sms"}
    assert all(world.start_at <= m.sent_at < world.end_at for m in world.messages)


def test_planted_identity_variants_exist() -> None:
    """About 3% of persons have their email and phone written differently across tools."""
    world = build_world()
    variants = [p for p in world.persons if p.has_identity_variants]
    assert 30 <= len(variants) <= 90
    person = next(p for p in world.persons if p.old_whatsapp_id)
    assert len(whatsapp_id(person)) == 12  # 55 + area code + 8 digits: the ninth digit is missing
    own_phone = next(p for p in variants if p.company_phone is None)
    spellings = {phone_as_written(own_phone, random.Random(seed)) for seed in range(30)}
    assert len(spellings) > 1


def test_planted_shared_switchboard_phone() -> None:
    """Six persons give one company switchboard as their phone: identity must not merge them."""
    world = build_world()
    sharing = [p for p in world.persons if p.company_phone is not None]
    assert len(sharing) == 6
    assert {phone_as_written(p, random.Random(0)) for p in sharing} == {"+551130031234"}
    assert len({p.email for p in sharing}) == 6
