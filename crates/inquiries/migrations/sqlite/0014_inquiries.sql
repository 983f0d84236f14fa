-- Legal questions and feedback (hỏi đáp pháp luật, phản ánh kiến nghị) with public answers on a
-- deadline, policy dialogues (đối thoại chính sách), and the public holidays that the answer
-- deadline skips. See docs/inquiries.md.

-- Vietnamese public holidays and days off in lieu (ngày nghỉ lễ, Tết, nghỉ bù) as data: the
-- fixed days of Bộ luật Lao động 2019 Art. 112, and the Tết and compensatory days that the Prime
-- Minister decides each year. `certainty` is 'verified' once checked against the year's notice,
-- 'unverified' for the seeded rows below (docs/inquiries.md).
CREATE TABLE inquiry_holidays (
    day DATE PRIMARY KEY,
    name TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    certainty TEXT NOT NULL
);

-- Topics (lĩnh vực) a question or an answer is filed under, for the public list's filter.
CREATE TABLE inquiry_topics (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);

-- A province's inbox (nơi tiếp nhận): the unit that receives and routes what citizens send, and
-- its answer period in working days.
CREATE TABLE inquiry_inboxes (
    unit_id INTEGER PRIMARY KEY REFERENCES units(id),
    answer_days INTEGER NOT NULL,
    updated_at DATETIME NOT NULL
);

-- A policy dialogue (đối thoại chính sách): questions collected beforehand, answers published
-- afterwards on its page.
CREATE TABLE inquiry_dialogues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    topic TEXT NOT NULL,
    held_on DATE NOT NULL,
    place TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES accounts(id),
    created_at DATETIME NOT NULL
);
CREATE INDEX inquiry_dialogues_held_idx ON inquiry_dialogues (held_on);

-- A question or feedback (câu hỏi, phản ánh kiến nghị). `code` is the citizen's tracking code;
-- the contact fields (name, email, phone) are never shown on a public page. `public_title` and
-- `public_body` are the officer's version without personal data, published with the answer;
-- `search_key` folds the published text (text_vi::fold), empty until published;
-- `version` grows by one on every change (the publish form carries it, so a stale form is refused).
CREATE TABLE inquiries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    inbox_unit_id INTEGER NOT NULL REFERENCES units(id),
    commune_id INTEGER REFERENCES units(id),
    dialogue_id INTEGER REFERENCES inquiry_dialogues(id),
    topic_code TEXT REFERENCES inquiry_topics(code),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    private BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    assigned_unit_id INTEGER REFERENCES units(id),
    assigned_agency_id INTEGER REFERENCES agencies(id),
    assigned_at DATETIME,
    due_on DATE,
    answer TEXT NOT NULL DEFAULT '',
    answered_by INTEGER REFERENCES accounts(id),
    answered_at DATETIME,
    public_title TEXT NOT NULL DEFAULT '',
    public_body TEXT NOT NULL DEFAULT '',
    published_by INTEGER REFERENCES accounts(id),
    published_at DATETIME,
    search_key TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 0,
    received_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX inquiries_code_idx ON inquiries (code);
CREATE INDEX inquiries_status_idx ON inquiries (status, due_on);
CREATE INDEX inquiries_published_idx ON inquiries (published_at);
CREATE INDEX inquiries_dialogue_idx ON inquiries (dialogue_id);

-- The bookshelf documents an answer cites (ids of bookshelf_documents, read through the kernel's
-- LegalDocRefs port, so no foreign key into another capability's table).
CREATE TABLE inquiry_citations (
    inquiry_id INTEGER NOT NULL REFERENCES inquiries(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL,
    PRIMARY KEY (inquiry_id, document_id)
);

-- The per-address limit of public submissions: one counter row per address bucket
-- (`ip:<keyed hash>` of the IPv4 address or of the IPv6 /64) and hour (Unix seconds / 3600),
-- incremented atomically inside the submission's transaction. Rows older than a day are swept.
CREATE TABLE inquiry_rate_counts (
    bucket TEXT NOT NULL,
    hour INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (bucket, hour)
);

-- Challenges already used (checked once, right or wrong): the primary key makes a second use fail
-- even when two submissions race. Rows past the challenge's validity are swept.
CREATE TABLE inquiry_used_challenges (
    nonce TEXT PRIMARY KEY,
    used_at DATETIME NOT NULL
);
CREATE INDEX inquiry_used_challenges_at_idx ON inquiry_used_challenges (used_at);

INSERT INTO inquiry_topics (code, name, position) VALUES
    ('dat-dai', 'Đất đai, nhà ở', 1),
    ('hon-nhan', 'Hôn nhân và gia đình', 2),
    ('dan-su', 'Dân sự, thừa kế', 3),
    ('lao-dong', 'Lao động, việc làm, bảo hiểm', 4),
    ('hanh-chinh', 'Thủ tục hành chính, hộ tịch', 5),
    ('hinh-su', 'Hình sự, an ninh trật tự', 6),
    ('giao-thong', 'Giao thông', 7),
    ('khac', 'Lĩnh vực khác', 8);

-- Seeded 2026 and 2027: the fixed days of Bộ luật Lao động 2019 Art. 112 on their calendar dates,
-- and the Tết, Hùng Kings' and compensatory days as expected, all UNVERIFIED until checked against
-- the Prime Minister's decision for the year (the Ministry of Home Affairs' notice).
INSERT INTO inquiry_holidays (day, name, legal_basis, certainty) VALUES
    ('2026-01-01', 'Tết Dương lịch', 'Bộ luật Lao động 2019, Điều 112', 'unverified'),
    ('2026-02-16', 'Tết Nguyên đán (28 tháng Chạp)', 'Quyết định của Thủ tướng Chính phủ về nghỉ Tết năm 2026 (chưa kiểm chứng)', 'unverified'),
    ('2026-02-17', 'Tết Nguyên đán (Mùng 1)', 'Bộ luật Lao động 2019, Điều 112 (chưa kiểm chứng)', 'unverified'),
    ('2026-02-18', 'Tết Nguyên đán (Mùng 2)', 'Bộ luật Lao động 2019, Điều 112 (chưa kiểm chứng)', 'unverified'),
    ('2026-02-19', 'Tết Nguyên đán (Mùng 3)', 'Bộ luật Lao động 2019, Điều 112 (chưa kiểm chứng)', 'unverified'),
    ('2026-02-20', 'Tết Nguyên đán (Mùng 4)', 'Bộ luật Lao động 2019, Điều 112 (chưa kiểm chứng)', 'unverified'),
    ('2026-04-27', 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch là Chủ nhật 26/4)', 'Bộ luật Lao động 2019, Điều 112 khoản 3 (chưa kiểm chứng)', 'unverified'),
    ('2026-04-30', 'Ngày Chiến thắng', 'Bộ luật Lao động 2019, Điều 112', 'unverified'),
    ('2026-05-01', 'Ngày Quốc tế lao động', 'Bộ luật Lao động 2019, Điều 112', 'unverified'),
    ('2026-09-01', 'Quốc khánh (ngày liền kề)', 'Bộ luật Lao động 2019, Điều 112; ngày liền kề do Thủ tướng quyết định (chưa kiểm chứng)', 'unverified'),
    ('2026-09-02', 'Quốc khánh', 'Bộ luật Lao động 2019, Điều 112', 'unverified'),
    ('2027-01-01', 'Tết Dương lịch', 'Bộ luật Lao động 2019, Điều 112', 'unverified'),
    ('2027-02-04', 'Tết Nguyên đán (28 tháng Chạp)', 'Quyết định của Thủ tướng Chính phủ về nghỉ Tết năm 2027 (chưa kiểm chứng)', 'unverified'),
    ('2027-02-05', 'Tết Nguyên đán (30 tháng Chạp)', 'Bộ luật Lao động 2019, Điều 112 (chưa kiểm chứng)', 'unverified'),
    ('2027-02-08', 'Tết Nguyên đán (Mùng 3)', 'Bộ luật Lao động 2019, Điều 112 (chưa kiểm chứng)', 'unverified'),
    ('2027-02-09', 'Tết Nguyên đán (Mùng 4, nghỉ bù)', 'Bộ luật Lao động 2019, Điều 112 (chưa kiểm chứng)', 'unverified'),
    ('2027-02-10', 'Tết Nguyên đán (Mùng 5, nghỉ bù)', 'Bộ luật Lao động 2019, Điều 112 (chưa kiểm chứng)', 'unverified'),
    ('2027-04-16', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Bộ luật Lao động 2019, Điều 112 (chưa kiểm chứng)', 'unverified'),
    ('2027-04-30', 'Ngày Chiến thắng', 'Bộ luật Lao động 2019, Điều 112', 'unverified'),
    ('2027-05-03', 'Nghỉ bù Ngày Quốc tế lao động (1/5 là thứ Bảy)', 'Bộ luật Lao động 2019, Điều 112 khoản 3 (chưa kiểm chứng)', 'unverified'),
    ('2027-09-02', 'Quốc khánh', 'Bộ luật Lao động 2019, Điều 112', 'unverified'),
    ('2027-09-03', 'Quốc khánh (ngày liền kề)', 'Bộ luật Lao động 2019, Điều 112; ngày liền kề do Thủ tướng quyết định (chưa kiểm chứng)', 'unverified');
