"""musrenbang-bot: Musrenbang proposals over Telegram, matched to the RPJMD."""
