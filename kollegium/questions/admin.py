from django.contrib import admin

from kollegium.questions.models import Answer, Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "is_anonymous", "visibility", "created_at"]
    list_filter = ["is_anonymous", "visibility"]
    search_fields = ["title"]
    # The anonymity material is never shown, not even to installation administrators.
    exclude = ["asker_digest", "follow_token_hash"]
    readonly_fields = ["author", "is_anonymous", "accepted_answer", "published_item_id"]
    raw_id_fields = ["school"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "author", "created_at"]
    raw_id_fields = ["question", "author"]
