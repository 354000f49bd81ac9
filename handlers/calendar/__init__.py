"""The Musrenbang calendar for everyone: /jadwal, /pengingat, and the reminder texts."""
