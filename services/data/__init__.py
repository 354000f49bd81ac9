"""Reference data shipped with the bot: nomenclature, regions, OPD names and word lists."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
