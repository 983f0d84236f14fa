//! What a citizen sends (a legal question, or feedback and petitions) and where it stands.

/// The kind of item (loại).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Hỏi đáp pháp luật: a legal question.
    Question,
    /// Phản ánh, kiến nghị: feedback or a petition.
    Feedback,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Question, Kind::Feedback];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Question => "question",
            Kind::Feedback => "feedback",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where an item stands (trạng thái).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Received by the province's inbox, not routed yet.
    Received,
    /// Routed to a unit or agency, which has not saved an answer yet.
    Assigned,
    /// An answer is drafted and waits for an approver.
    Answered,
    /// The answer is public, with the question's public version.
    Published,
    /// Answered privately (the citizen asked to keep it private): sent by e-mail and shown only
    /// on the tracking page.
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [Status::Received, Status::Assigned, Status::Answered, Status::Published, Status::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Assigned => "assigned",
            Status::Answered => "answered",
            Status::Published => "published",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the item still waits for an answer (the deadline runs).
    pub fn is_open(self) -> bool {
        matches!(self, Status::Received | Status::Assigned | Status::Answered)
    }

    /// Whether an answer may be drafted or edited.
    pub fn can_answer(self) -> bool {
        matches!(self, Status::Assigned | Status::Answered)
    }

    /// Whether the item may be routed (or routed again).
    pub fn can_route(self) -> bool {
        matches!(self, Status::Received | Status::Assigned)
    }
}
