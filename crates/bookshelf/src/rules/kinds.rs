//! The kinds of link between documents and of teaching material, with their stored codes and
//! Vietnamese labels.

/// How a later document affects an earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// Sửa đổi, bổ sung: never ends the validity of what it amends.
    Amends,
    /// Thay thế (toàn bộ hoặc một phần).
    Replaces,
    /// Bãi bỏ (toàn bộ hoặc một phần).
    Repeals,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [LinkKind::Amends, LinkKind::Replaces, LinkKind::Repeals];
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Amends => "amends",
            LinkKind::Replaces => "replaces",
            LinkKind::Repeals => "repeals",
        }
    }
    pub fn parse(s: &str) -> Option<LinkKind> {
        LinkKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// What the source does to the target ("sửa đổi, bổ sung", "thay thế", "bãi bỏ").
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Amends => "Sửa đổi, bổ sung",
            LinkKind::Replaces => "Thay thế",
            LinkKind::Repeals => "Bãi bỏ",
        }
    }
    /// Seen from the target ("được sửa đổi, bổ sung bởi", "bị thay thế bởi", "bị bãi bỏ bởi").
    pub fn passive_label(self) -> &'static str {
        match self {
            LinkKind::Amends => "Được sửa đổi, bổ sung bởi",
            LinkKind::Replaces => "Bị thay thế bởi",
            LinkKind::Repeals => "Bị bãi bỏ bởi",
        }
    }
    /// An amendment is always partial; a replacement or repeal may be whole.
    pub fn may_be_whole(self) -> bool {
        !matches!(self, LinkKind::Amends)
    }
}

/// Kinds of teaching material (tài liệu phổ biến, giáo dục pháp luật).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MaterialKind {
    /// Tờ gấp pháp luật.
    Leaflet,
    /// Sổ tay hỏi đáp pháp luật.
    QaBooklet,
    /// Video (by link).
    Video,
    /// Kịch bản (tiểu phẩm, sân khấu hóa, tình huống).
    Scenario,
}

impl MaterialKind {
    pub const ALL: [MaterialKind; 4] = [MaterialKind::Leaflet, MaterialKind::QaBooklet, MaterialKind::Video, MaterialKind::Scenario];
    pub fn as_str(self) -> &'static str {
        match self {
            MaterialKind::Leaflet => "leaflet",
            MaterialKind::QaBooklet => "qa_booklet",
            MaterialKind::Video => "video",
            MaterialKind::Scenario => "scenario",
        }
    }
    pub fn parse(s: &str) -> Option<MaterialKind> {
        MaterialKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            MaterialKind::Leaflet => "Tờ gấp pháp luật",
            MaterialKind::QaBooklet => "Sổ tay hỏi đáp pháp luật",
            MaterialKind::Video => "Video",
            MaterialKind::Scenario => "Kịch bản",
        }
    }
    /// The label of a stored code (the code itself when unknown).
    pub fn label_of(code: &str) -> String {
        MaterialKind::parse(code).map(|k| k.label().to_string()).unwrap_or_else(|| code.to_string())
    }
}
