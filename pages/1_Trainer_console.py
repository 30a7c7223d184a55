"""Trainer console: behind the trainer login; the sections live in playbook_coach.ui_trainer."""

import streamlit as st

from evals.feedback import DraftCases
from playbook_coach import ui, ui_evals, ui_learn, ui_trainer

st.set_page_config(page_title="Trainer console · Playbook Coach", page_icon=":material/school:", layout="centered")
ui.navigation()
st.title("Trainer console")

settings = ui.load_settings()
if not ui.trainer_gate(settings):
    st.stop()
services = ui.ready_services(settings)
manager = services.corpus
ui_trainer.show_flash()
# Tracked tabs: an action's rerun keeps the trainer on the tab they acted in, and only that tab is drawn.
upload, documents, feedback, insights, training, health, changes = st.tabs(
    ["Upload", "Documents", "Feedback", "Insights", "Training", "Corpus health", "Changes"],
    key="console_tab",
    on_change="rerun",
)
if upload.open:
    with upload:
        ui_trainer.upload_section(services, ui_evals.DATASET)
if documents.open:
    with documents:
        ui_trainer.documents_section(services, ui_evals.DATASET)
if feedback.open:
    with feedback:
        drafts = DraftCases(settings.feedback_drafts_path, settings.trainer_cases_path)
        ui_trainer.feedback_section(services, drafts)
        ui_trainer.draft_cases_section(manager, drafts)
if insights.open:
    with insights:
        ui_trainer.insights_section(services)
if training.open:
    with training:
        ui_learn.trainer_section(settings, services.audit, ui.trainer_name())
if health.open:
    with health:
        ui_trainer.health_section(manager, settings)
if changes.open:
    with changes:
        ui_trainer.changes_section(services.audit)
