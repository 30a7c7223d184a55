"""Playbook Coach chat: pick a role, ask, read cited answers. All logic lives in playbook_coach.ui and rag/."""

import streamlit as st

from playbook_coach import ui

st.set_page_config(
    page_title="Playbook Coach", page_icon=":material/factory:", layout="centered", initial_sidebar_state="collapsed"
)  # tablets get the full width for the chat
ui.navigation()
st.title("Playbook Coach")
st.caption("Plain answers about Smart Manufacturing, with the playbook pages they come from.")

settings = ui.load_settings()
services = ui.ready_services(settings)
ui.remember_device(settings)
role = ui.role_choice()
if role is None:
    st.info("Choose your role above to start. You can change it at any time.")
    st.stop()
ui.new_conversation_button()
ui.earlier_conversations(settings)
ui.chat(services, role)
