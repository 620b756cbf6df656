//! The vocabulary of the keymap: where a key is pressed (`Ctx`: a screen, a popup, the field
//! being typed in) and what a key does there (`Act`), with their names in keys.toml and the help
//! line of each action. Kept apart from `keymap`, which binds keys to these and is the only module
//! that reads key codes; nothing here looks at a key. Used everywhere as `keymap::{Act, Ctx}`.

use crate::i18n::K;

/// Where a key is pressed: a screen, a popup over it, or the field being typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ctx {
    Global,
    Rounds,
    Dashboard,
    /// The dashboard's search box.
    Search,
    Visit,
    /// A visit item's note being typed.
    Note,
    Form,
    /// Editing keys of every text field (forms, the search box, notes).
    Text,
    /// Multi-line text fields: before the form's keys, so Enter and the arrows work in the text.
    Lines,
    /// A choice field of a form.
    Choice,
    /// The veto gates.
    Picker,
    /// A question (y / n).
    Confirm,
    /// A draft kept from an earlier run, offered back.
    Offer,
    /// The help overlay.
    Help,
    /// An item's or a finding's history.
    History,
    Queue,
    Review,
    Board,
    Stats,
    /// The team's exchange: members, bundles out and in.
    Sync,
    /// A path being typed (a bundle to write or read), completed with Tab.
    Path,
    /// Fields two laptops edited at once.
    Conflicts,
    /// A look-back (回头看) visit: the earlier problems to mark.
    Lookback,
}

impl Ctx {
    pub const ALL: [Ctx; 23] = [
        Ctx::Global,
        Ctx::Rounds,
        Ctx::Dashboard,
        Ctx::Search,
        Ctx::Visit,
        Ctx::Note,
        Ctx::Form,
        Ctx::Text,
        Ctx::Lines,
        Ctx::Choice,
        Ctx::Picker,
        Ctx::Confirm,
        Ctx::Offer,
        Ctx::Help,
        Ctx::History,
        Ctx::Queue,
        Ctx::Review,
        Ctx::Board,
        Ctx::Stats,
        Ctx::Sync,
        Ctx::Path,
        Ctx::Conflicts,
        Ctx::Lookback,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Ctx::Global => "global",
            Ctx::Rounds => "rounds",
            Ctx::Dashboard => "dashboard",
            Ctx::Search => "search",
            Ctx::Visit => "visit",
            Ctx::Note => "note",
            Ctx::Form => "form",
            Ctx::Text => "text",
            Ctx::Lines => "lines",
            Ctx::Choice => "choice",
            Ctx::Picker => "picker",
            Ctx::Confirm => "confirm",
            Ctx::Offer => "offer",
            Ctx::Help => "help",
            Ctx::History => "history",
            Ctx::Queue => "queue",
            Ctx::Review => "review",
            Ctx::Board => "board",
            Ctx::Stats => "stats",
            Ctx::Sync => "sync",
            Ctx::Path => "path",
            Ctx::Conflicts => "conflicts",
            Ctx::Lookback => "lookback",
        }
    }

    /// Whether characters no key is bound to are typed into a field here.
    pub fn types(self) -> bool {
        self == Ctx::Text
    }
}

macro_rules! acts {
    ($($act:ident = $name:literal, $k:ident;)*) => {
        /// What a key does.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Act { $($act),* }
        impl Act {
            pub const ALL: &'static [Act] = &[$(Act::$act),*];
            pub fn name(self) -> &'static str { match self { $(Act::$act => $name),* } }
            pub fn help(self) -> &'static str { match self { $(Act::$act => K::$k.text()),* } }
        }
    };
}

acts! {
    Quit = "quit", HelpQuit;
    Help = "help", HelpHelp;
    Back = "back", HelpBack;
    Up = "up", HelpUp;
    Down = "down", HelpDown;
    PageUp = "page_up", HelpPageUp;
    PageDown = "page_down", HelpPageDown;
    Open = "open", HelpOpen;
    NewRound = "new_round", HelpNewRound;
    NewLookback = "new_lookback", HelpNewLookback;
    Held = "held", HelpHeld;
    Relapsed = "relapsed", HelpRelapsed;
    NotDone = "not_done", HelpNotDone;
    Search = "search", HelpSearch;
    FilterStatus = "filter_status", HelpFilterStatus;
    FilterField = "filter_field", HelpFilterField;
    FilterArea = "filter_area", HelpFilterArea;
    Meets = "meets", HelpMeets;
    Fails = "fails", HelpFails;
    Partly = "partly", HelpPartly;
    NotApplicable = "not_applicable", HelpNotApplicable;
    Clear = "clear", HelpClear;
    EditNote = "edit_note", HelpEditNote;
    Count = "count", HelpCount;
    AddFinding = "add_finding", HelpAddFinding;
    AddOther = "add_other_finding", HelpAddOther;
    EditFinding = "edit_finding", HelpEditFinding;
    NextUnanswered = "next_unanswered", HelpNextUnanswered;
    Submit = "submit", HelpSubmit;
    Veto = "veto", HelpVeto;
    VisitInfo = "visit_info", HelpVisitInfo;
    NextField = "next_field", HelpNextField;
    PrevField = "prev_field", HelpPrevField;
    Save = "save", HelpSave;
    ReviewQueue = "review_queue", HelpReviewQueue;
    ToggleRole = "toggle_role", HelpToggleRole;
    History = "history", HelpHistory;
    ApproveFinding = "approve_finding", HelpApproveFinding;
    ReturnFinding = "return_finding", HelpReturnFinding;
    CorrectFinding = "correct_finding", HelpCorrectFinding;
    ApproveVisit = "approve_visit", HelpApproveVisit;
    ReturnVisit = "return_visit", HelpReturnVisit;
    Checklist = "checklist", HelpChecklist;
    Board = "board", HelpBoard;
    Stats = "statistics", HelpStats;
    FilterQuarter = "filter_quarter", HelpFilterQuarter;
    FilterRound = "filter_round", HelpFilterRound;
    FilterSeverity = "filter_severity", HelpFilterSeverity;
    Sort = "sort", HelpSort;
    ChangeStatus = "change_status", HelpChangeStatus;
    Export = "export", HelpExport;
    Sync = "sync", HelpSync;
    Conflicts = "conflicts", HelpConflicts;
    ExportBundle = "export_bundle", HelpExportBundle;
    ExportBundleAll = "export_bundle_all", HelpExportBundleAll;
    ImportBundle = "import_bundle", HelpImportBundle;
    Complete = "complete", HelpComplete;
    RunPath = "run_path", HelpRunPath;
    Resolve = "resolve", HelpResolve;
    Done = "done", HelpDone;
    ClearSearch = "clear_search", HelpClearSearch;
    Cancel = "cancel", HelpCancel;
    Yes = "yes", HelpYes;
    No = "no", HelpNo;
    Restore = "restore", HelpRestore;
    DropDraft = "drop_draft", HelpDropDraft;
    KeepDraft = "keep_draft", HelpKeepDraft;
    Close = "close", HelpClose;
    Left = "left", HelpLeft;
    Right = "right", HelpRight;
    WordLeft = "word_left", HelpWordLeft;
    WordRight = "word_right", HelpWordRight;
    LineStart = "line_start", HelpLineStart;
    LineEnd = "line_end", HelpLineEnd;
    DeleteBack = "delete_back", HelpDeleteBack;
    DeleteForward = "delete_forward", HelpDeleteForward;
    DeleteWord = "delete_word", HelpDeleteWord;
    DeleteToEnd = "delete_to_end", HelpDeleteToEnd;
    DeleteToStart = "delete_to_start", HelpDeleteToStart;
    Undo = "undo", HelpUndo;
    Redo = "redo", HelpRedo;
    Newline = "newline", HelpNewline;
    LineUp = "line_up", HelpLineUp;
    LineDown = "line_down", HelpLineDown;
    NextOption = "next_option", HelpNextOption;
    PrevOption = "prev_option", HelpPrevOption;
    AttachFile = "attach_file", HelpAttachFile;
}
