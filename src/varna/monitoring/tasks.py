from django_tasks import task


@task()
def fetch_feeds() -> int:
    from varna.monitoring import services

    return services.fetch_all()
