from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "kollegium.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from kollegium.library import search
        from kollegium.library.models import Item

        def reindex(sender: object, instance: Item, raw: bool = False, **kwargs: object) -> None:
            # Runs inside the transaction that saved the item, so both commit or neither.
            if not raw:
                search.index_item(instance)

        post_save.connect(reindex, sender=Item, weak=False, dispatch_uid="library-reindex-item")
