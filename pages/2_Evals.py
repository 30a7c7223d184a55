"""Answer-quality evals: the last report against the baseline; trainers can start a new run."""

import streamlit as st

from playbook_coach import ui, ui_evals

st.set_page_config(page_title="Evals · Playbook Coach", page_icon=":material/monitoring:", layout="centered")
ui.navigation()
st.title("Answer quality")

settings = ui.load_settings()
ui_evals.report_page(settings)
st.divider()
ui_evals.run_panel(settings)
