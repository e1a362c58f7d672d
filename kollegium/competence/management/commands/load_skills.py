from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kollegium.competence.loading import sync_taxonomy
from kollegium.competence.models import Skill, SkillArea
from kollegium.competence.taxonomy import DEFAULT_PATH, TaxonomyError, load_taxonomy


class Command(BaseCommand):
    help = "Load (or update) the skill taxonomy from a YAML file. Safe to run again."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            taxonomy = load_taxonomy(options["path"])
        except TaxonomyError as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            result = sync_taxonomy(area_model=SkillArea, skill_model=Skill, taxonomy=taxonomy)
        self.stdout.write(
            f"skills: {result['created']} created, {result['updated']} updated, "
            f"{result['retired']} retired"
        )
