"""The foundation's demo: a municipality with two schools, a network, teams and people."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kollegium.accounts.models import User
from kollegium.core.demo import DEMO_PASSWORD, DemoData
from kollegium.organisations.models import (
    DevelopmentFocus,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    OwnerStaff,
    Role,
    Stage,
    Subject,
    Team,
    TeamMembership,
)

DEMO_OWNER_NAME = "Exempelstads kommun"

# (key, name, email, school, role, subjects, stages, ask me about, teams)
DEMO_PEOPLE = [
    (
        "alice",
        "Alice Andersson",
        "alice@bjorkskolan.example",
        "a",
        Role.LEADER,
        [],
        ["GR4-6", "GR7-9"],
        "Systematiskt kvalitetsarbete och att ge tid för kollegialt lärande",
        [],
    ),
    (
        "bob",
        "Bob Berg",
        "bob@bjorkskolan.example",
        "a",
        Role.TEACHER,
        ["MA", "TK"],
        ["GR4-6"],
        "Matematik i årskurs 4–6, exit tickets",
        ["work46", "math"],
    ),
    (
        "carol",
        "Carol Chen",
        "carol@bjorkskolan.example",
        "a",
        Role.FACILITATOR,
        ["SV", "SVA", "EN"],
        ["GR4-6"],
        "Läsförståelse, cirkelmodellen och att leda lärgrupper",
        ["work46", "lang"],
    ),
    (
        "erik",
        "Erik Ek",
        "erik@bjorkskolan.example",
        "a",
        Role.TEACHER,
        ["MA", "FY", "KE"],
        ["GR7-9"],
        "Laborationer och formativ bedömning i NO",
        ["work79", "math"],
    ),
    (
        "fatima",
        "Fatima Haddad",
        "fatima@bjorkskolan.example",
        "a",
        Role.TEACHER,
        ["SVA", "SV", "MLA"],
        ["GR1-3", "GR4-6"],
        "Språkutvecklande arbetssätt och nyanlända elever",
        ["work46", "lang"],
    ),
    (
        "gustav",
        "Gustav Lind",
        "gustav@bjorkskolan.example",
        "a",
        Role.TEACHER,
        ["IDH"],
        ["GR4-6", "GR7-9"],
        "Utomhuspedagogik och rörelse i lärandet",
        ["work79"],
    ),
    (
        "hanna",
        "Hanna Nilsson",
        "hanna@bjorkskolan.example",
        "a",
        Role.TEACHER,
        ["SV", "SO"],
        ["GR7-9"],
        "Källkritik och digitala verktyg",
        ["work79", "lang"],
    ),
    (
        "ida",
        "Ida Svensson",
        "ida@bjorkskolan.example",
        "a",
        Role.TEACHER,
        ["SPE"],
        ["GR1-3", "GR4-6", "GR7-9"],
        "Anpassningar, NPF och tydliggörande pedagogik",
        ["work46"],
    ),
    (
        "dave",
        "Dave Dahl",
        "dave@ekskolan.example",
        "b",
        Role.TEACHER,
        ["MA", "EN"],
        ["GR7-9"],
        "Programmering i matematiken",
        ["b79"],
    ),
    (
        "eva",
        "Eva Ekström",
        "eva@ekskolan.example",
        "b",
        Role.LEADER,
        [],
        ["GR7-9"],
        "Skolutveckling",
        [],
    ),
]

# The owner's development staff (no school of their own): (key, name, email, title).
DEMO_OWNER_STAFF = (
    "jonas",
    "Jonas Jansson",
    "jonas@exempelstad.example",
    "Utvecklingsstrateg",
)

DEMO_TEAMS = {
    "work46": ("Arbetslag 4–6", Team.Kind.WORK_TEAM, "a"),
    "work79": ("Arbetslag 7–9", Team.Kind.WORK_TEAM, "a"),
    "math": ("Ämneslag matematik", Team.Kind.SUBJECT_TEAM, "a"),
    "lang": ("Ämneslag språk", Team.Kind.SUBJECT_TEAM, "a"),
    "b79": ("Arbetslag 7–9", Team.Kind.WORK_TEAM, "b"),
}


def demo_exists() -> bool:
    return Organisation.objects.filter(name=DEMO_OWNER_NAME, kind=Organisation.Kind.OWNER).exists()


@transaction.atomic
def create_demo() -> DemoData:
    owner = Organisation.objects.create(
        kind=Organisation.Kind.OWNER,
        name=DEMO_OWNER_NAME,
        name_en="Example Town municipality",
        organisation_number="212000-0000",
        municipality_code="0180",
    )
    school_a = Organisation.objects.create(
        kind=Organisation.Kind.SCHOOL,
        parent=owner,
        name="Björkskolan",
        name_en="Birch School",
        school_unit_code="12345678",
    )
    school_b = Organisation.objects.create(
        kind=Organisation.Kind.SCHOOL,
        parent=owner,
        name="Ekskolan",
        name_en="Oak School",
        school_unit_code="23456789",
    )
    schools = {"a": school_a, "b": school_b}
    network = Network.objects.create(
        name="Matematiknätverket Exempelstad",
        description="Skolor som utvecklar matematikundervisningen tillsammans.",
    )
    NetworkMembership.objects.create(network=network, school=school_a)
    NetworkMembership.objects.create(network=network, school=school_b)
    teams = {
        key: Team.objects.create(school=schools[s], name=name, kind=kind)
        for key, (name, kind, s) in DEMO_TEAMS.items()
    }
    subjects = {s.code: s for s in Subject.objects.all()}
    stages = {s.code: s for s in Stage.objects.all()}
    people = {}
    for key, name, email, s, role, subj, stg, ask, team_keys in DEMO_PEOPLE:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, ask_me_about=ask
        )
        user.subjects.set([subjects[c] for c in subj if c in subjects])
        user.stages.set([stages[c] for c in stg if c in stages])
        # Everyone has worked at the school for years but Erik, who joined two weeks ago: his
        # home page shows a newcomer's first week and "Start here" (issue 16).
        started = timezone.localdate() - timedelta(days=12 if key == "erik" else 3 * 365)
        Membership.objects.create(user=user, school=schools[s], role=role, start_date=started)
        for team_key in team_keys:
            TeamMembership.objects.create(team=teams[team_key], user=user)
        user._demo_school = schools[s]  # type: ignore[attr-defined]
        people[key] = user
    key, name, email, title = DEMO_OWNER_STAFF
    staff = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
    OwnerStaff.objects.create(user=staff, owner=owner, title=title)
    people[key] = staff
    focus_areas = [
        DevelopmentFocus.objects.create(
            school=school_a,
            title="Formativ bedömning i alla ämnen",
            order=0,
            created_by=people["alice"],
            description="Eleverna ska veta vart de är på väg, var de är och hur de kommer vidare.",
        ),
        DevelopmentFocus.objects.create(
            school=school_a,
            title="Läsförståelse i årskurs 4–6",
            order=1,
            created_by=people["alice"],
            description="Alla elever läser med förståelse i alla ämnen.",
        ),
        DevelopmentFocus.objects.create(
            school=school_b,
            title="Programmering i matematik",
            order=0,
            created_by=people["eva"],
        ),
    ]
    return DemoData(
        owner=owner,
        school_a=school_a,
        school_b=school_b,
        network=network,
        people=people,
        teams=teams,
        focus_areas=focus_areas,
    )
