"""Realistic, deterministic bulk data for benchmarks and load tests (`kollegium seed`).

Everything goes in with bulk inserts; one password hash is computed once and shared, since
hashing 50,000 passwords with argon2 would take longer than the rest of the seed together.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from kollegium.accounts.models import User
from kollegium.organisations.models import (
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Role,
    Stage,
    Subject,
    Team,
    TeamMembership,
)

SEED_PASSWORD = "kollegium-seed"  # noqa: S105 — for generated benchmark data only

FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kerstin",
    "Ingrid",
    "Malin",
    "Johanna",
    "Linda",
    "Elin",
    "Sofia",
    "Hanna",
    "Ida",
    "Amira",
    "Fatima",
    "Leila",
    "Nora",
    "Elsa",
    "Maja",
    "Alice",
    "Ebba",
    "Wilma",
    "Lars",
    "Anders",
    "Johan",
    "Karl",
    "Per",
    "Erik",
    "Mikael",
    "Peter",
    "Jonas",
    "Daniel",
    "Fredrik",
    "Ahmed",
    "Ali",
    "Omar",
    "Yusuf",
    "Oscar",
    "Hugo",
    "Liam",
    "William",
    "Nils",
    "Olof",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindqvist",
    "Lundgren",
    "Berg",
    "Holm",
    "Ek",
    "Sandberg",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Åberg",
    "Öberg",
    "Hussein",
    "Mohammed",
    "Ali",
    "Nguyen",
    "Kowalski",
    "Virtanen",
]
SCHOOL_PREFIXES = [
    "Björk",
    "Ek",
    "Lind",
    "Asp",
    "Al",
    "Gran",
    "Tall",
    "Rönn",
    "Sjö",
    "Berg",
    "Äng",
    "Dal",
    "Hav",
    "Sol",
    "Vik",
    "Strand",
    "Skogs",
    "Ängs",
    "Kvarn",
    "Kyrk",
    "Torp",
    "Back",
    "Hög",
    "Lund",
    "Näs",
    "Ås",
    "Brunns",
    "Mo",
    "Ström",
    "Fjäll",
    "Källa",
    "Hägg",
]
SCHOOL_SUFFIXES = ("skolan", "backeskolan", "dalsskolan", "hagaskolan", "ängsskolan", "viksskolan")
ENGLISH_PREFIX = {
    "Björk": "Birch",
    "Ek": "Oak",
    "Lind": "Linden",
    "Asp": "Aspen",
    "Al": "Alder",
    "Gran": "Spruce",
    "Tall": "Pine",
    "Rönn": "Rowan",
    "Sjö": "Lake",
    "Berg": "Hill",
    "Äng": "Meadow",
    "Dal": "Valley",
    "Hav": "Sea",
    "Sol": "Sun",
    "Vik": "Bay",
    "Strand": "Shore",
    "Skogs": "Forest",
}
MUNICIPALITIES = [
    "Ale",
    "Alingsås",
    "Borås",
    "Falun",
    "Gävle",
    "Halmstad",
    "Härnösand",
    "Jönköping",
    "Kalmar",
    "Karlstad",
    "Kiruna",
    "Luleå",
    "Lund",
    "Malmö",
    "Mora",
    "Norrköping",
    "Nyköping",
    "Östersund",
    "Skellefteå",
    "Sundsvall",
    "Umeå",
    "Uppsala",
    "Varberg",
    "Västerås",
    "Växjö",
    "Visby",
    "Ystad",
    "Örebro",
]
WORK_TEAMS = ("Arbetslag F–3", "Arbetslag 4–6", "Arbetslag 7–9")
SUBJECT_TEAMS = ("Ämneslag matematik", "Ämneslag svenska och SVA", "Ämneslag NO")


@dataclass(frozen=True)
class SeedResult:
    owners: int
    schools: int
    people: int
    seconds: float


def _school_name(rng: random.Random, index: int) -> tuple[str, str]:
    prefix = rng.choice(SCHOOL_PREFIXES)
    suffix = rng.choice(SCHOOL_SUFFIXES)
    name = f"{prefix}{suffix}"
    english = f"{ENGLISH_PREFIX.get(prefix, prefix)} School"
    # Real municipalities have several schools with the same name in different districts.
    return f"{name} {index}", f"{english} {index}"


@transaction.atomic
def seed(
    *,
    schools: int,
    teachers_per_school: int,
    seed_value: int = 1,
    schools_per_owner: int = 50,
    schools_per_network: int = 10,
    batch_size: int = 2000,
    progress: Callable[[str, int, int], None] | None = None,
) -> SeedResult:
    started = time.perf_counter()
    rng = random.Random(seed_value)
    run_tag = f"s{seed_value}-{Organisation.objects.count()}"
    password_hash = make_password(SEED_PASSWORD)
    subject_ids = list(Subject.objects.values_list("pk", flat=True))
    stage_ids = list(Stage.objects.values_list("pk", flat=True))

    owner_count = max(1, -(-schools // schools_per_owner))
    owners = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=Organisation.Kind.OWNER,
                name=f"{MUNICIPALITIES[i % len(MUNICIPALITIES)]}s kommun {run_tag}-{i}",
                name_en=f"{MUNICIPALITIES[i % len(MUNICIPALITIES)]} municipality {run_tag}-{i}",
                external_id=f"owner-{run_tag}-{i}",
            )
            for i in range(owner_count)
        ]
    )
    owners = list(
        Organisation.objects.filter(external_id__startswith=f"owner-{run_tag}-").order_by("pk")
    )
    school_rows = []
    for i in range(schools):
        name, name_en = _school_name(rng, i)
        school_rows.append(
            Organisation(
                kind=Organisation.Kind.SCHOOL,
                parent=owners[i // schools_per_owner],
                name=name,
                name_en=name_en,
                school_unit_code=f"{rng.randrange(10**7, 10**8)}",
                external_id=f"school-{run_tag}-{i}",
            )
        )
    Organisation.objects.bulk_create(school_rows, batch_size=batch_size)
    school_list = list(
        Organisation.objects.filter(external_id__startswith=f"school-{run_tag}-").order_by("pk")
    )
    if progress:
        progress("schools", len(school_list), schools)

    networks = Network.objects.bulk_create(
        [
            Network(name=f"Nätverk {run_tag}-{n}", description="Skolor som lär tillsammans.")
            for n in range(-(-len(school_list) // schools_per_network))
        ]
    )
    networks = list(Network.objects.filter(name__startswith=f"Nätverk {run_tag}-").order_by("pk"))
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(network=networks[i // schools_per_network], school=school)
            for i, school in enumerate(school_list)
        ],
        batch_size=batch_size,
    )

    Team.objects.bulk_create(
        [
            Team(school=school, name=name, kind=kind)
            for school in school_list
            for names, kind in (
                (WORK_TEAMS, Team.Kind.WORK_TEAM),
                (SUBJECT_TEAMS, Team.Kind.SUBJECT_TEAM),
            )
            for name in names
        ],
        batch_size=batch_size,
    )
    teams_by_school: dict[int, list[int]] = {}
    for team_id, school_id in Team.objects.filter(school__in=school_list).values_list(
        "pk", "school_id"
    ):
        teams_by_school.setdefault(school_id, []).append(team_id)

    total_people = schools * teachers_per_school
    made = 0
    for start in range(0, len(school_list), max(1, batch_size // max(1, teachers_per_school))):
        chunk = school_list[start : start + max(1, batch_size // max(1, teachers_per_school))]
        users = []
        roles = []
        for school in chunk:
            for n in range(teachers_per_school):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                users.append(
                    User(
                        email=f"{first}.{last}.{school.pk}.{n}@seed.example".lower(),
                        full_name=f"{first} {last}",
                        password=password_hash,
                        ask_me_about=rng.choice(
                            (
                                "",
                                "Exit tickets",
                                "Läsförståelse",
                                "Programmering",
                                "Utomhuspedagogik",
                                "Bedömning",
                                "Digitala verktyg",
                                "Språkutvecklande arbetssätt",
                            )
                        ),
                    )
                )
                role = Role.LEADER if n == 0 else Role.FACILITATOR if n in (1, 2) else Role.TEACHER
                roles.append((school, role))
        created = User.objects.bulk_create(users, batch_size=batch_size)
        if not all(u.pk for u in created):  # SQLite < 3.35 does not return ids
            emails = [u.email for u in users]
            by_email = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
            for user in created:
                user.pk = by_email[user.email]
        Membership.objects.bulk_create(
            [
                Membership(user_id=u.pk, school=s, role=r)
                for u, (s, r) in zip(created, roles, strict=True)
            ],
            batch_size=batch_size,
        )
        team_links, subject_links, stage_links = [], [], []
        for user, (school, _role) in zip(created, roles, strict=True):
            school_teams = teams_by_school[school.pk]
            team_links.append(TeamMembership(team_id=rng.choice(school_teams[:3]), user_id=user.pk))
            team_links.append(TeamMembership(team_id=rng.choice(school_teams[3:]), user_id=user.pk))
            for subject_id in rng.sample(subject_ids, k=min(len(subject_ids), rng.randint(1, 3))):
                subject_links.append(User.subjects.through(user_id=user.pk, subject_id=subject_id))
            for stage_id in rng.sample(stage_ids, k=min(len(stage_ids), rng.randint(1, 2))):
                stage_links.append(User.stages.through(user_id=user.pk, stage_id=stage_id))
        TeamMembership.objects.bulk_create(team_links, batch_size=batch_size, ignore_conflicts=True)
        User.subjects.through.objects.bulk_create(subject_links, batch_size=batch_size)
        User.stages.through.objects.bulk_create(stage_links, batch_size=batch_size)
        made += len(created)
        if progress:
            progress("people", made, total_people)
    return SeedResult(
        owners=len(owners),
        schools=len(school_list),
        people=made,
        seconds=time.perf_counter() - started,
    )
