FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    TZ=Asia/Jakarta \
    PTB_TIMEDELTA=1

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY core ./core
COPY handlers ./handlers
COPY services ./services
COPY models ./models
COPY locales ./locales
RUN pip install . \
    && useradd --create-home --uid 10001 musrenbang \
    && mkdir -p /data && chown musrenbang /data

USER musrenbang
WORKDIR /data
ENV DATABASE_URL=sqlite:////data/musrenbang.db \
    WEBHOOK_LISTEN=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "bot.healthcheck"]
CMD ["musrenbang", "run"]
