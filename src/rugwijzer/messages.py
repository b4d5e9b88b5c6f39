"""Messages as codes: what the core tells a user, without choosing the words.

Below the shells nothing writes a sentence for a user. An error, a warning, the way the grams of
a meal item were found or why a word was not understood is a `Message`: a `Code` and typed
parameters. The shells (web, API, CLI) render it in the reader's language from one catalogue,
the gettext files in `rugwijzer/i18n/` (`rugwijzer.i18n.render_message`), where the code is the
msgid and the parameters are named `{placeholders}`.

Parameters are numbers (formatted in the reader's locale when rendered), plain text the user
typed (shown as it is), `Foreign` text that stays in one language whatever the page's (a USDA
measure name, an English food name), other messages (a derivation inside a derivation), or
tuples of text (joined by the renderer). Messages are stored as JSON (`to_json`, `from_json`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeAlias

__all__ = ["Code", "Foreign", "Message", "Param"]


class Code(StrEnum):
    """Every message code. The value is the catalogue's msgid; both catalogues (nl, en) must
    translate each one with the same placeholders (tests/unit/test_messages.py).

    Sections belong to the part of the code that raises or returns them."""

    # --- general ---------------------------------------------------------------------------------
    #: Text from before codes existed, kept as it was written (a stored row, an old export).
    LEGACY_TEXT = "general.legacy_text"
    #: An error nobody expected (a bug): the answer names the request id for the operator's log.
    INTERNAL_ERROR = "general.internal_error"

    # --- meals: parsing, grams, warnings, unparsed words -----------------------------------------
    # How the grams of an item were found (a derivation; some nest another one in `how`).
    MEAL_GRAMS = "meal.grams"
    MEAL_GRAMS_CONVERTED = "meal.grams_converted"
    MEAL_TIMES = "meal.times"
    MEAL_USDA_MEASURE = "meal.usda_measure"
    MEAL_USDA_MEASURE_NAMED = "meal.usda_measure_named"
    MEAL_USDA_MEASURE_AMOUNT = "meal.usda_measure_amount"
    MEAL_VOLUME_VIA_USDA = "meal.volume_via_usda"
    MEAL_VOLUME_ASSUMED_DENSITY = "meal.volume_assumed_density"
    MEAL_DUTCH_VOLUME_VIA_USDA = "meal.dutch_volume_via_usda"
    MEAL_DUTCH_VOLUME_ASSUMED_DENSITY = "meal.dutch_volume_assumed_density"
    MEAL_PIECE_ASSUMED = "meal.piece_assumed"
    MEAL_DUTCH_MEASURE = "meal.dutch_measure"
    MEAL_BASIS_DEFINITION = "meal.basis_definition"
    MEAL_BASIS_STANDARD = "meal.basis_standard"
    MEAL_BASIS_ESTIMATE = "meal.basis_estimate"
    MEAL_TYPICAL_PORTION = "meal.typical_portion"
    MEAL_NO_HOUSEHOLD_MEASURES = "meal.no_household_measures"
    MEAL_TIMES_PER_PIECE = "meal.times_per_piece"
    MEAL_CORRECTED = "meal.corrected"
    MEAL_FOOD_CHOSEN = "meal.food_chosen"
    # Dutch typical portions (domain/portions.py, data/portions_nl.toml).
    PORTION_SOURCED = "meal.portion_sourced"
    PORTION_SOURCED_VOLUME = "meal.portion_sourced_volume"
    PORTION_ASSUMED = "meal.portion_assumed"
    PORTION_ASSUMED_VOLUME = "meal.portion_assumed_volume"
    PORTION_VOLUME_VIA_USDA = "meal.portion_volume_via_usda"
    PORTION_VOLUME_AS_WATER = "meal.portion_volume_as_water"
    PORTION_STUKJE_AS_PIECE = "meal.portion_stukje_as_piece"
    PORTION_ON_EACH_SLICE = "meal.portion_on_each_slice"
    # Warnings on an item.
    MEAL_WARN_ASSUMED_DENSITY = "meal.warn_assumed_density"
    MEAL_WARN_MEASURE_FOR_OTHER_FOODS = "meal.warn_measure_for_other_foods"
    MEAL_WARN_NO_USDA_MEASURE = "meal.warn_no_usda_measure"
    MEAL_WARN_NO_AMOUNT = "meal.warn_no_amount"
    MEAL_WARN_LARGE_AMOUNT = "meal.warn_large_amount"
    MEAL_WARN_ALTERNATIVES = "meal.warn_alternatives"
    # Why words were not understood.
    MEAL_NOT_UNDERSTOOD = "meal.not_understood"
    MEAL_AMOUNT_WITHOUT_FOOD = "meal.amount_without_food"
    MEAL_NOT_IN_FOOD_DATA = "meal.not_in_food_data"
    MEAL_NO_FOOD_RECOGNISED = "meal.no_food_recognised"
    # Errors.
    MEAL_EMPTY = "meal.empty"
    MEAL_TOO_LONG = "meal.too_long"
    MEAL_DIVIDES_BY_ZERO = "meal.divides_by_zero"
    MEAL_NEGATIVE_AMOUNT = "meal.negative_amount"
    MEAL_AMOUNT_NOT_POSITIVE = "meal.amount_not_positive"
    MEAL_IMPLAUSIBLE_AMOUNT = "meal.implausible_amount"
    MEAL_NOTHING_RECOGNISED = "meal.nothing_recognised"
    MEAL_MEASURES_FILE_INVALID = "meal.measures_file_invalid"
    MEAL_MEASURE_INVALID = "meal.measure_invalid"

    # --- profile and diary entries ---------------------------------------------------------------
    PROFILE_NOT_OBJECT = "profile.not_object"
    PROFILE_UNKNOWN_FIELD = "profile.unknown_field"
    PROFILE_BIRTH_YEAR = "profile.birth_year"
    PROFILE_BIRTH_YEAR_NEEDED = "profile.birth_year_needed"
    PROFILE_AGE = "profile.age"
    PROFILE_AGE_NEEDED = "profile.age_needed"
    PROFILE_SEX = "profile.sex"
    PROFILE_SEX_NEEDED = "profile.sex_needed"
    PROFILE_YES_NO = "profile.yes_no"
    PROFILE_NAMES = "profile.names"
    PROFILE_LANGUAGE = "profile.language"
    PROFILE_REFERENCE = "profile.reference"
    PROFILE_EGFR = "profile.egfr"
    PROFILE_FOOD_MAGNESIUM = "profile.food_magnesium"
    PROFILE_PREGNANCY_SEX = "profile.pregnancy_sex"
    PROFILE_PREGNANT_AND_LACTATING = "profile.pregnant_and_lactating"
    PROFILE_USER_NOT_FOUND = "profile.user_not_found"
    ENTRY_MEAL_NOT_FOUND = "entry.meal_not_found"
    ENTRY_MEAL_ITEM_NOT_FOUND = "entry.meal_item_not_found"
    ENTRY_SUPPLEMENT_NOT_FOUND = "entry.supplement_not_found"
    ENTRY_CHECKIN_NOT_FOUND = "entry.checkin_not_found"
    ENTRY_CHANGE_NOT_FOUND = "entry.change_not_found"
    ENTRY_ASSESSMENT_NOT_FOUND = "entry.assessment_not_found"
    ENTRY_UNKNOWN_KIND = "entry.unknown_kind"
    ENTRY_ASSESSMENT_KIND = "entry.assessment_kind"
    ENTRY_PAGE = "entry.page"
    ENTRY_GRAMS = "entry.grams"
    ENTRY_UNKNOWN_FOOD = "entry.unknown_food"
    PERIOD_ENDS_BEFORE_START = "period.ends_before_start"
    PERIOD_TOO_LONG = "period.too_long"
    IMPORT_NOT_AN_EXPORT = "import.not_an_export"
    IMPORT_DIARY_NOT_EMPTY = "import.diary_not_empty"
    IMPORT_DAMAGED = "import.damaged"

    # --- supplements, targets, screening, triage -------------------------------------------------
    SUPPLEMENT_FORMULA_BRACKETS = "supplement.formula_brackets"
    SUPPLEMENT_FORMULA_UNREADABLE = "supplement.formula_unreadable"
    SUPPLEMENT_FORMULA_ELEMENT = "supplement.formula_element"
    SUPPLEMENT_FORMULA_NO_MAGNESIUM = "supplement.formula_no_magnesium"
    SUPPLEMENT_FORM_EMPTY = "supplement.form_empty"
    SUPPLEMENT_FORM_UNKNOWN = "supplement.form_unknown"
    SUPPLEMENT_AMOUNT_NOT_NUMBER = "supplement.amount_not_number"
    SUPPLEMENT_AMOUNT_NOT_POSITIVE = "supplement.amount_not_positive"
    SUPPLEMENT_LABEL_UNREADABLE = "supplement.label_unreadable"
    SUPPLEMENT_DOSE_IMPLAUSIBLE = "supplement.dose_implausible"
    SUPPLEMENTS_NOT_A_LIST = "supplement.list_not_list"
    SUPPLEMENT_ENTRY_NOT_OBJECT = "supplement.entry_not_object"
    SUPPLEMENT_ENTRY_UNKNOWN_FIELDS = "supplement.entry_unknown_fields"
    SUPPLEMENT_ENTRY_NOT_NUMBER = "supplement.entry_not_number"
    SUPPLEMENT_ENTRY_NOT_POSITIVE = "supplement.entry_not_positive"
    SUPPLEMENT_ENTRY_NO_AMOUNT = "supplement.entry_no_amount"
    SUPPLEMENT_ENTRY_DOSE_IMPLAUSIBLE = "supplement.entry_dose_implausible"
    #: How the elemental magnesium of a supplement was found (`SupplementIntake.how`).
    SUPPLEMENT_HOW_LABEL = "supplement.how_label"
    SUPPLEMENT_HOW_GIVEN = "supplement.how_given"
    SUPPLEMENT_HOW_COMPOUND = "supplement.how_compound"
    SUPPLEMENT_HOW_AMBIGUOUS = "supplement.how_ambiguous"
    #: Everyday portions of the "food first" suggestions.
    PORTION_HANDFUL = "supplement.portion_handful"
    PORTION_TWO_SLICES = "supplement.portion_two_slices"
    PORTION_SERVING_SPOON = "supplement.portion_serving_spoon"
    PORTION_SERVING = "supplement.portion_serving"
    PORTION_PIECES = "supplement.portion_pieces"
    PORTION_ONE_PIECE = "supplement.portion_one_piece"
    TARGET_UNKNOWN_REFERENCE = "target.unknown_reference"
    TARGET_AGE_OUT_OF_RANGE = "target.age_out_of_range"
    TARGET_SEX_UNKNOWN = "target.sex_unknown"
    TARGET_PREGNANCY_NEEDS_FEMALE = "target.pregnancy_needs_female"
    TARGET_PREGNANCY_NEEDS_AGE = "target.pregnancy_needs_age"
    TARGET_PREGNANT_AND_LACTATING = "target.pregnant_and_lactating"
    #: Notes on a looked-up target (`Target.notes`).
    TARGET_NO_PREGNANCY_VALUE = "target.no_pregnancy_value"
    TARGET_NO_LACTATION_VALUE = "target.no_lactation_value"
    TARGET_NO_VALUE = "target.no_value"
    TARGET_SOURCES_DISAGREE = "target.sources_disagree"
    TARGET_TABLE_NOTE = "target.table_note"
    TARGET_UPPER_LIMIT_SCOPE = "target.upper_limit_scope"
    SCREEN_ANSWERS_NOT_OBJECT = "screen.answers_not_object"
    SCREEN_UNKNOWN_FIELDS = "screen.unknown_fields"
    SCREEN_NOT_A_LIST = "screen.not_a_list"
    SCREEN_UNKNOWN_NAMES = "screen.unknown_names"
    SCREEN_NUMBER_RANGE = "screen.number_range"
    TRIAGE_ANSWERS_NOT_OBJECT = "triage.answers_not_object"
    TRIAGE_UNKNOWN_KEYS = "triage.unknown_keys"
    TRIAGE_NOT_YES_NO = "triage.not_yes_no"
    TRIAGE_NOT_A_NUMBER = "triage.not_a_number"
    TRIAGE_NUMBER_RANGE = "triage.number_range"

    # --- did it help? (domain/progress.py) ------------------------------------------------------
    EFFECT_IMPROVED = "effect.improved"
    EFFECT_WORSE = "effect.worse"
    EFFECT_NO_IMPORTANT_CHANGE = "effect.no_important_change"
    EFFECT_UNCERTAIN = "effect.uncertain"
    EFFECT_TOO_LITTLE_DATA = "effect.too_little_data"
    EFFECT_MORE_DAYS = "effect.more_days"
    EFFECT_METHOD_AR1 = "effect.method_ar1"
    EFFECT_OUTCOME_PAIN = "effect.outcome_pain"
    EFFECT_OUTCOME_STRESS = "effect.outcome_stress"
    EFFECT_OUTCOME_SLEEP_QUALITY = "effect.outcome_sleep_quality"
    EFFECT_OUTCOME_STIFFNESS = "effect.outcome_stiffness"
    EFFECT_PHASE_BEFORE = "effect.phase_before"
    EFFECT_PHASE_AFTER = "effect.phase_after"
    # Caveats.
    EFFECT_OVERLAPPING_CHANGES = "effect.overlapping_changes"
    EFFECT_MANY_DAYS_MISSING = "effect.many_days_missing"
    EFFECT_SHORT_PHASE = "effect.short_phase"
    EFFECT_FLARE_BEFORE_START = "effect.flare_before_start"
    EFFECT_PRE_EXISTING_TREND = "effect.pre_existing_trend"
    EFFECT_TREND_AGAINST = "effect.trend_against"
    # Suggestions for a better design.
    EFFECT_SUGGEST_ONE_AT_A_TIME = "effect.suggest_one_at_a_time"
    EFFECT_SUGGEST_BASELINE = "effect.suggest_baseline"
    EFFECT_SUGGEST_KEEP_RECORDING = "effect.suggest_keep_recording"
    EFFECT_SUGGEST_STOP_AND_RESTART = "effect.suggest_stop_and_restart"

    # --- did it help? entry points: check-in files, the diary, the report (shells' helpers) ------
    CHECKIN_FILE_NO_ROWS = "checkin_file.no_rows"
    CHECKIN_FILE_NOT_CSV = "checkin_file.not_csv"
    CHECKIN_FILE_NO_DAY_COLUMN = "checkin_file.no_day_column"
    CHECKIN_FILE_DUPLICATE_COLUMN = "checkin_file.duplicate_column"
    CHECKIN_FILE_NO_OUTCOME_COLUMN = "checkin_file.no_outcome_column"
    CHECKIN_FILE_NO_VALUES = "checkin_file.no_values"
    CHECKIN_FILE_TOO_MANY_FIELDS = "checkin_file.too_many_fields"
    CHECKIN_FILE_BAD_DATE = "checkin_file.bad_date"
    CHECKIN_FILE_NOT_A_NUMBER = "checkin_file.not_a_number"
    CHECKIN_FILE_OUT_OF_RANGE = "checkin_file.out_of_range"
    CHECKIN_FILE_DUPLICATE_DAY = "checkin_file.duplicate_day"
    EFFECT_CHANGE_DATE_OUTSIDE_DATA = "effect.change_date_outside_data"
    EFFECT_END_BEFORE_CHANGE = "effect.end_before_change"
    CLI_EFFECT_CHANGE_OR_FILE = "cli.effect_change_or_file"
    CLI_EFFECT_CHANGE_DATE_NEEDED = "cli.effect_change_date_needed"
    CLI_EFFECT_DATES_WITH_FILE_ONLY = "cli.effect_dates_with_file_only"
    REPORT_PERIOD_DATES = "report.period_dates"
    # did it help, for aids (helper "aids-change", issue #14)
    ENTRY_UNKNOWN_AID_CATEGORY = "entry.unknown_aid_category"
    EFFECT_AID_USED_BEFORE = "effect.aid_used_before"
    EFFECT_AID_NOT_USED_AFTER = "effect.aid_not_used_after"
    EFFECT_SUGGEST_AID_PERIODS = "effect.suggest_aid_periods"
    ENTRY_AID_NOT_RECORDED = "entry.aid_not_recorded"

    # --- knowledge base: FAQ and the article's claims (services/knowledge.py) -------------------
    KNOWLEDGE_SUPPORTED = "knowledge.supported"
    KNOWLEDGE_MIXED = "knowledge.mixed"
    KNOWLEDGE_WEAK = "knowledge.weak"
    KNOWLEDGE_UNSUPPORTED = "knowledge.unsupported"
    KNOWLEDGE_CONTRADICTED = "knowledge.contradicted"
    KNOWLEDGE_FAQ_NOT_FOUND = "knowledge.faq_not_found"
    KNOWLEDGE_CLAIM_NOT_FOUND = "knowledge.claim_not_found"
    KNOWLEDGE_ARTICLE_NOT_FOUND = "knowledge.article_not_found"

    # --- the aids widget for shops (web/embed.py) and its settings -------------------------------
    EMBED_UNKNOWN_LANGUAGE = "embed.unknown_language"
    EMBED_NO_LOGO = "embed.no_logo"
    EMBED_BAD_ORIGIN = "embed.bad_origin"
    EMBED_BAD_LOGO = "embed.bad_logo"

    # --- ergonomic aids: advice and the catalogue (domain/aids.py, services/aids.py) -------------
    AIDS_ANSWERS_NOT_OBJECT = "aids.answers_not_object"
    AIDS_UNKNOWN_FIELDS = "aids.unknown_fields"
    AIDS_MISSING_FIELDS = "aids.missing_fields"
    AIDS_NUMBER_RANGE = "aids.number_range"
    AIDS_UNKNOWN_CHOICE = "aids.unknown_choice"
    # why a recommendation, from the answers
    AIDS_BECAUSE_ACUTE = "aids.because_acute"
    AIDS_BECAUSE_LONG_LASTING = "aids.because_long_lasting"
    AIDS_BECAUSE_RED_FLAG = "aids.because_red_flag"
    AIDS_BECAUSE_GOAL_RELIEF = "aids.because_goal_relief"
    AIDS_BECAUSE_GOAL_PREVENTION = "aids.because_goal_prevention"
    AIDS_BECAUSE_SITS_MUCH = "aids.because_sits_much"
    AIDS_BECAUSE_SITS_LITTLE = "aids.because_sits_little"
    # the recommendations and categories by name
    AIDS_CONSIDER = "aids.consider"
    AIDS_NO_EVIDENCE = "aids.no_evidence"
    AIDS_NOT_RECOMMENDED = "aids.not_recommended"
    AIDS_SEE_PROFESSIONAL = "aids.see_professional"
    AIDS_CATEGORY_LUMBAR_SUPPORT = "aids.category.lumbar_support"
    AIDS_CATEGORY_POSTURE_CORRECTOR = "aids.category.posture_corrector"
    AIDS_CATEGORY_HEAT_WRAP = "aids.category.heat_wrap"
    AIDS_CATEGORY_SIT_STAND_DESK = "aids.category.sit_stand_desk"
    AIDS_CATEGORY_OFFICE_CHAIR = "aids.category.office_chair"
    AIDS_CATEGORY_SEAT_CUSHION = "aids.category.seat_cushion"
    AIDS_CATEGORY_LUMBAR_CUSHION = "aids.category.lumbar_cushion"
    AIDS_CATEGORY_MATTRESS = "aids.category.mattress"
    AIDS_CATEGORY_FOOTREST = "aids.category.footrest"
    # the catalogue file: each problem names its line; nothing is imported from a bad file
    AIDS_IMPORT_REFUSED = "aids.import_refused"
    AIDS_IMPORT_EMPTY = "aids.import_empty"
    AIDS_IMPORT_MISSING_COLUMNS = "aids.import_missing_columns"
    AIDS_IMPORT_TOO_MANY_FIELDS = "aids.import_too_many_fields"
    AIDS_IMPORT_BAD_SKU = "aids.import_bad_sku"
    AIDS_IMPORT_BAD_NAME = "aids.import_bad_name"
    AIDS_IMPORT_UNKNOWN_CATEGORY = "aids.import_unknown_category"
    AIDS_IMPORT_BAD_PRICE = "aids.import_bad_price"
    AIDS_IMPORT_BAD_URL = "aids.import_bad_url"
    AIDS_IMPORT_LONG_DESCRIPTION = "aids.import_long_description"
    AIDS_IMPORT_DUPLICATE_SKU = "aids.import_duplicate_sku"
    AIDS_PRODUCT_NOT_FOUND = "aids.product_not_found"
    # the shells of the aids (cli/aids.py, api/aids.py, web/aids_pages.py)
    AIDS_IMPORT_NOT_TEXT = "aids.import_not_text"
    AIDS_IMPORT_TOO_LARGE = "aids.import_too_large"

    # --- food data, search, imports --------------------------------------------------------------
    FOOD_NOT_FOUND = "food.not_found"
    FOOD_QUERY_EMPTY = "food.query_empty"
    FOOD_QUERY_TOO_LONG = "food.query_too_long"
    FOOD_QUERY_LIMIT = "food.query_limit"
    FOOD_QUERY_NO_WORDS = "food.query_no_words"
    #: Bundled data (food data, reference values, content) that is missing or corrupt: for
    #: the developer, with the details in English.
    DATA_CORRUPT = "data.corrupt"
    DATA_IMPORT_MISSING_FILE = "data.import_missing_file"
    DATA_IMPORT_MISSING_COLUMNS = "data.import_missing_columns"
    DATA_IMPORT_NOT_A_NUMBER = "data.import_not_a_number"
    DATA_IMPORT_NO_FOODS = "data.import_no_foods"
    DATA_IMPORT_UNREADABLE = "data.import_unreadable"
    DATA_SCHEMA_OUTDATED = "data.schema_outdated"
    DATA_RULE_BROKEN = "data.rule_broken"

    # --- accounts, sessions, access --------------------------------------------------------------
    ACCOUNT_EMAIL_INVALID = "account.email_invalid"
    ACCOUNT_PASSWORD_LENGTH = "account.password_length"
    ACCOUNT_PASSWORDS_DIFFER = "account.passwords_differ"
    ACCOUNT_ROLE_UNKNOWN = "account.role_unknown"
    ACCOUNT_EXISTS = "account.exists"
    ACCOUNT_USER_NOT_FOUND = "account.user_not_found"
    ACCOUNT_EMAIL_NOT_FOUND = "account.email_not_found"
    ACCOUNT_RATE_LIMITED = "account.rate_limited"
    ACCOUNT_WRONG_CREDENTIALS = "account.wrong_credentials"
    ACCOUNT_SESSION_EXPIRED = "account.session_expired"
    ACCOUNT_NOT_LOGGED_IN = "account.not_logged_in"
    ACCOUNT_WRONG_PASSWORD = "account.wrong_password"
    ACCOUNT_NO_PRACTITIONER = "account.no_practitioner"
    ACCOUNT_GRANT_NOT_FOUND = "account.grant_not_found"
    ACCOUNT_SERVER_MODE_ONLY = "account.server_mode_only"
    ACCOUNT_NOT_FOUND = "account.not_found"
    ACCOUNT_SECRET_KEY_NEEDED = "account.secret_key_needed"
    ACCOUNT_LOCAL_MODE_LOOPBACK = "account.local_mode_loopback"

    # --- files, export and import, command line --------------------------------------------------
    FILE_NOT_FOUND = "file.not_found"
    FILE_IS_DIRECTORY = "file.is_directory"
    FILE_NO_PERMISSION = "file.no_permission"
    #: Another reason the system gives (its words, in English: `Foreign`).
    FILE_UNREADABLE = "file.unreadable"
    FILE_NOT_TEXT = "file.not_text"
    FILE_NOT_JSON = "file.not_json"
    FILE_NO_MEALS = "file.no_meals"
    FILE_NOT_WRITABLE = "file.not_writable"
    CLI_NOT_A_DATE = "cli.not_a_date"
    CLI_NO_FOOD_IN_ANY_MEAL = "cli.no_food_in_any_meal"
    CLI_CONFIRM_DELETE = "cli.confirm_delete"
    CLI_TRIAGE_MODE = "cli.triage_mode"

    # --- web forms -------------------------------------------------------------------------------
    FORM_NOT_A_NUMBER = "form.not_a_number"
    FORM_WHOLE_NUMBER = "form.whole_number"
    FORM_START_DATE_INVALID = "form.start_date_invalid"
    FORM_START_DATE_FUTURE = "form.start_date_future"
    FORM_CHOOSE_FILE = "form.choose_file"
    FORM_NOT_AN_EXPORT = "form.not_an_export"
    FORM_CONFIRM_DELETE = "form.confirm_delete"
    FORM_INVALID_FIELDS = "form.invalid_fields"
    FORM_REQUEST_REFUSED = "form.request_refused"
    FORM_GRAMS_OR_FOOD = "form.grams_or_food"
    FORM_MEAL_NOT_RECOGNISED = "form.meal_not_recognised"
    FORM_MEAL_NOT_IN_DATA = "form.meal_not_in_data"
    #: Diary entries (domain/diary.py): check-ins and changes.
    ENTRY_DAY_TOO_EARLY = "entry.day_too_early"
    ENTRY_DAY_IN_FUTURE = "entry.day_in_future"
    ENTRY_THE_DATE = "entry.the_date"
    ENTRY_THE_START_DATE = "entry.the_start_date"
    ENTRY_THE_END_DATE = "entry.the_end_date"
    ENTRY_SCORE_RANGE = "entry.score_range"
    ENTRY_MINUTES_RANGE = "entry.minutes_range"
    ENTRY_NOTE_TOO_LONG = "entry.note_too_long"
    ENTRY_AID_TOO_LONG = "entry.aid_too_long"
    ENTRY_PAIN_LOCATIONS = "entry.pain_locations"
    ENTRY_CHECKIN_EMPTY = "entry.checkin_empty"
    ENTRY_CHANGE_EMPTY = "entry.change_empty"
    ENTRY_CHANGE_TOO_LONG = "entry.change_too_long"
    ENTRY_CHANGE_ENDS_BEFORE_START = "entry.change_ends_before_start"
    ENTRY_FIELD_PAIN = "entry.field_pain"
    ENTRY_FIELD_STRESS = "entry.field_stress"
    ENTRY_FIELD_SLEEP = "entry.field_sleep_quality"
    ENTRY_FIELD_STIFFNESS = "entry.field_stiffness"
    ENTRY_FIELD_MINUTES_ACTIVE = "entry.field_minutes_active"
    ENTRY_FIELD_GRAMS = "entry.field_grams"
    ENTRY_FIELD_SERVINGS = "entry.field_servings"
    ENTRY_FIELD_COMPOUND_MG = "entry.field_compound_mg"

    # --- issue 15: supplement labels (domain/labels.py) ----------------------------------------
    # Errors.
    LABEL_NO_AMOUNT = "label.no_amount"
    LABEL_FORM_NO_AMOUNT = "label.form_no_amount"
    LABEL_SEVERAL_AMOUNTS = "label.several_amounts"
    LABEL_SEVERAL_DOSES = "label.several_doses"
    LABEL_AMOUNT_IMPLAUSIBLE = "label.amount_implausible"
    # How the label was read (notes) and how a supplement's amount was found from a label.
    LABEL_NOTE_ELEMENTAL = "label.note_elemental"
    LABEL_NOTE_UNSTATED = "label.note_unstated"
    LABEL_NOTE_UNSTATED_RANGE = "label.note_unstated_range"
    LABEL_NOTE_COMPOUND = "label.note_compound"
    LABEL_NOTE_COMPOUND_RANGE = "label.note_compound_range"
    LABEL_NOTE_COMPOUND_SEEN = "label.note_compound_seen"
    LABEL_NOTE_UNITS_LEADING = "label.note_units_leading"
    LABEL_NOTE_UNITS_UNSTATED = "label.note_units_unstated"
    LABEL_NOTE_SERVINGS = "label.note_servings"
    LABEL_NOTE_DOSE_RANGE = "label.note_dose_range"
    LABEL_NOTE_COUNTED_HIGHER = "label.note_counted_higher"
    LABEL_NOTE_IGNORED = "label.note_ignored"
    LABEL_NOTE_SERVINGS_GIVEN = "label.note_servings_given"
    LABEL_HOW = "label.how"
    LABEL_HOW_TWO = "label.how_two"

    # --- issue 15: NEVO import (fooddb/nevo.py, `rugwijzer foods import-nevo`) -------------------
    NEVO_FILE_TOO_LARGE = "nevo.file_too_large"
    NEVO_NOT_TEXT = "nevo.not_text"
    NEVO_FILE_EMPTY = "nevo.file_empty"
    NEVO_MISSING_COLUMNS = "nevo.missing_columns"
    NEVO_WRONG_UNIT = "nevo.wrong_unit"
    NEVO_FILE_REFUSED = "nevo.file_refused"
    NEVO_FIELD_COUNT = "nevo.field_count"
    NEVO_BAD_CODE = "nevo.bad_code"
    NEVO_DUPLICATE_CODE = "nevo.duplicate_code"
    NEVO_EMPTY_NAME = "nevo.empty_name"
    NEVO_NOT_A_NUMBER = "nevo.not_a_number"
    NEVO_IMPLAUSIBLE = "nevo.implausible"
    NEVO_FILE_OR_REMOVE = "nevo.file_or_remove"

    # --- issue 15: gap planner -------------------------------------------------------------------
    PLAN_UNKNOWN_EXCLUSION = "plan.unknown_exclusion"
    PLAN_GAP_TOO_LARGE = "plan.gap_too_large"
    PLAN_KCAL_NEGATIVE = "plan.kcal_negative"
    PLAN_KCAL_TOO_LARGE = "plan.kcal_too_large"
    PLAN_NOT_A_NUMBER = "plan.not_a_number"
    PLAN_FIELD_GAP = "plan.field_gap"
    PLAN_FIELD_KCAL_MAX = "plan.field_kcal_max"
    PLAN_NO_TARGET = "plan.no_target"
    PLAN_FOOD_INCOMPLETE = "plan.food_incomplete"
    PLAN_FILE_INVALID = "plan.file_invalid"
    PLAN_NOT_NEEDED = "plan.not_needed"
    PLAN_HINT_NOTHING_LEFT = "plan.hint_nothing_left"
    PLAN_HINT_BUDGET = "plan.hint_budget"
    PLAN_HINT_GAP_TOO_LARGE = "plan.hint_gap_too_large"
    PLAN_HINT_MOST_WITHIN_BUDGET = "plan.hint_most_within_budget"
    PLAN_HINT_EXCLUSION_FITS = "plan.hint_exclusion_fits"
    PLAN_HINT_EXCLUSION_MOST = "plan.hint_exclusion_most"
    PLAN_NUTRIENT_SOURCE = "plan.nutrient_source"
    # --- issue 16: security headers and limits (services/accounts.py) -------------------------
    REGISTRATION_RATE_LIMITED = "security.registration_rate_limited"
    REGISTRATION_RECEIVED = "security.registration_received"
    API_RATE_LIMITED = "security.api_rate_limited"
    LOCAL_HOST_ONLY = "security.local_host_only"
    CROSS_SITE_REFUSED = "security.cross_site_refused"

    # --- issue 16: workers (`rugwijzer serve --workers`) ----------------------------------------
    SERVE_WORKERS_LOCAL_MODE = "serve.workers_local_mode"
    SERVE_ADDRESS_UNAVAILABLE = "serve.address_unavailable"
    DATABASE_CONNECTION_LOST = "database.connection_lost"
    REPORT_PRINT_FAILED = "report.print_failed"

    # --- issue 16: backup and restore ------------------------------------------------------------
    BACKUP_UNSUPPORTED_DATABASE = "backup.unsupported_database"
    BACKUP_NOT_A_BACKUP = "backup.not_a_backup"
    BACKUP_CORRUPT = "backup.corrupt"
    BACKUP_NEWER_FORMAT = "backup.newer_format"
    BACKUP_NEWER_SCHEMA = "backup.newer_schema"
    BACKUP_OLDER_SCHEMA = "backup.older_schema"
    BACKUP_TARGET_NOT_EMPTY = "backup.target_not_empty"

    # --- issue 16: access audit ---
    AUDIT_WRITE_FAILED = "audit.write_failed"

    # --- issue 16: health, readiness and metrics (/readyz, /metrics) ----------------------------
    HEALTH_DATABASE_UNREACHABLE = "health.database_unreachable"
    HEALTH_SCHEMA_NOT_CURRENT = "health.schema_not_current"
    HEALTH_METRICS_TOKEN_TOO_SHORT = "health.metrics_token_too_short"


@dataclass(frozen=True, slots=True)
class Foreign:
    """Text that stays in `lang` on a page of any language (marked `lang="…"` in HTML)."""

    text: str
    lang: str = "en"


Param: TypeAlias = "str | int | float | bool | Foreign | Message | tuple[str, ...] | None"


@dataclass(frozen=True, slots=True)
class Message:
    """A code and its parameters: a sentence the shell writes in the reader's language."""

    code: Code
    params: Mapping[str, Param] = field(default_factory=dict)

    @classmethod
    def of(cls, code: Code, /, **params: Param) -> Message:
        """`Message.of(Code.X, grams=35.0)`."""
        return cls(code, params)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping: {"code": …, "params": {…}} (nested messages alike)."""
        params = {name: _param_json(value) for name, value in self.params.items()}
        return {"code": self.code.value, "params": params}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Message:
        """The inverse of `to_json`; an unknown code is a ValueError."""
        return cls(
            Code(value["code"]),
            {k: _param_from_json(v) for k, v in dict(value.get("params") or {}).items()},
        )


def _param_json(value: Param) -> Any:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, Foreign):
        return {"foreign": value.text, "lang": value.lang}
    if isinstance(value, tuple):
        return list(value)
    return value


def _param_from_json(value: Any) -> Param:
    if isinstance(value, dict):
        if "foreign" in value:
            return Foreign(str(value["foreign"]), str(value.get("lang", "en")))
        return Message.from_json(value)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError(f"not a message parameter: {value!r}")
