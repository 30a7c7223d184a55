"""Learn: paths, lessons, knowledge checks and the day's review; the sections live in playbook_coach.ui_learn."""

import streamlit as st

from playbook_coach import ui, ui_learn

st.set_page_config(
    page_title="Learn · Playbook Coach",
    page_icon=":material/menu_book:",
    layout="centered",
    initial_sidebar_state="collapsed",
)
ui.navigation()
st.title("Learn")
ui_learn.page(ui.load_settings())
