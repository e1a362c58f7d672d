from django_tasks import task

from kollegium.questions import services


@task()
def route_waiting_questions() -> int:
    """The hourly batch that routes anonymous questions (services.questions_route_waiting)."""
    return services.questions_route_waiting()
