# The project's own code (Python 3.11): action server, Telegram front end (webhook), web admin — one image,
# the command decides the role (see deploy/docker-compose.yml).
#   docker build -f deploy/Dockerfile.app -t brobygger-app .
FROM python:3.11-slim-bookworm
WORKDIR /app
COPY requirements/app.lock requirements/app-nodeps.lock requirements/
RUN pip install --no-cache-dir --no-deps -r requirements/app.lock \
 && pip install --no-cache-dir --no-deps --ignore-requires-python -r requirements/app-nodeps.lock
COPY actions/ actions/
COPY common/ common/
COPY bot/ bot/
COPY content/ content/
COPY locales/ locales/
COPY migrations/ migrations/
COPY alembic.ini babel.cfg ./
RUN pybabel compile -d locales -D messages
ENV PYTHONPATH=/app
EXPOSE 5055 8080 8443
CMD ["python", "-m", "bot", "telegram"]
