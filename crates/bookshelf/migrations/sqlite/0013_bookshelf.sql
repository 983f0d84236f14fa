-- The legal bookshelf (tủ sách pháp luật): legal documents with their links (amends, replaces,
-- repeals), teaching materials, and the commune bookshelves with their additions and removals.
-- Effective status is derived from dates and links (src/rules/status.rs), never stored.
-- See docs/bookshelf.md.

-- Types of legal document (loại văn bản): data, not code.
CREATE TABLE bookshelf_doc_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO bookshelf_doc_types (code, name, position) VALUES
    ('hien-phap', 'Hiến pháp', 1),
    ('bo-luat', 'Bộ luật', 2),
    ('luat', 'Luật', 3),
    ('nghi-quyet', 'Nghị quyết', 4),
    ('phap-lenh', 'Pháp lệnh', 5),
    ('lenh', 'Lệnh', 6),
    ('nghi-dinh', 'Nghị định', 7),
    ('quyet-dinh', 'Quyết định', 8),
    ('thong-tu', 'Thông tư', 9),
    ('thong-tu-lien-tich', 'Thông tư liên tịch', 10),
    ('nghi-quyet-lien-tich', 'Nghị quyết liên tịch', 11),
    ('chi-thi', 'Chỉ thị', 12),
    ('khac', 'Văn bản khác', 13);

-- Fields of law (lĩnh vực), also the topics of teaching materials: data, not code.
CREATE TABLE bookshelf_fields (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO bookshelf_fields (code, name, position) VALUES
    ('pbgdpl', 'Phổ biến, giáo dục pháp luật', 1),
    ('hoa-giai', 'Hòa giải ở cơ sở', 2),
    ('dat-dai', 'Đất đai', 3),
    ('hon-nhan-gia-dinh', 'Hôn nhân và gia đình', 4),
    ('hanh-chinh', 'Hành chính, văn thư', 5),
    ('tiep-can-phap-luat', 'Tiếp cận pháp luật', 6),
    ('hinh-su', 'Hình sự', 7),
    ('dan-su', 'Dân sự', 8),
    ('lao-dong', 'Lao động', 9),
    ('giao-thong', 'Giao thông', 10),
    ('moi-truong', 'Tài nguyên, môi trường', 11),
    ('khac', 'Lĩnh vực khác', 12);

-- A legal document (văn bản pháp luật), kept by a province.
CREATE TABLE bookshelf_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    number TEXT NOT NULL,
    number_key TEXT NOT NULL,
    type_code TEXT NOT NULL REFERENCES bookshelf_doc_types(code),
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    issuer TEXT NOT NULL,
    signer TEXT NOT NULL DEFAULT '',
    issued_on DATE NOT NULL,
    in_force_on DATE NOT NULL,
    expires_on DATE,
    summary TEXT NOT NULL DEFAULT '',
    full_text TEXT NOT NULL DEFAULT '',
    file_id INTEGER REFERENCES files(id),
    vbpl_url TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES accounts(id),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX bookshelf_documents_number_idx ON bookshelf_documents (unit_id, number_key);
CREATE INDEX bookshelf_documents_issued_idx ON bookshelf_documents (issued_on);

CREATE TABLE bookshelf_document_fields (
    document_id INTEGER NOT NULL REFERENCES bookshelf_documents(id) ON DELETE CASCADE,
    field_code TEXT NOT NULL REFERENCES bookshelf_fields(code),
    PRIMARY KEY (document_id, field_code)
);

-- A link from a document (source) to an earlier one it amends, replaces or repeals (target),
-- wholly or partly, from a day.
CREATE TABLE bookshelf_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id INTEGER NOT NULL REFERENCES bookshelf_documents(id) ON DELETE CASCADE,
    target_id INTEGER NOT NULL REFERENCES bookshelf_documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    whole BOOLEAN NOT NULL,
    effective_on DATE NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES accounts(id),
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX bookshelf_links_pair_idx ON bookshelf_links (source_id, target_id, kind);
CREATE INDEX bookshelf_links_target_idx ON bookshelf_links (target_id);

-- A teaching material (tài liệu PBGDPL): leaflet, Q&A booklet, video by link, scenario.
CREATE TABLE bookshelf_materials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    link_url TEXT NOT NULL DEFAULT '',
    file_id INTEGER REFERENCES files(id),
    published_on DATE NOT NULL,
    created_by INTEGER REFERENCES accounts(id),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX bookshelf_materials_published_idx ON bookshelf_materials (published_on);

CREATE TABLE bookshelf_material_topics (
    material_id INTEGER NOT NULL REFERENCES bookshelf_materials(id) ON DELETE CASCADE,
    field_code TEXT NOT NULL REFERENCES bookshelf_fields(code),
    PRIMARY KEY (material_id, field_code)
);

-- Codes of crates/bookshelf/data/target_groups.toml.
CREATE TABLE bookshelf_material_groups (
    material_id INTEGER NOT NULL REFERENCES bookshelf_materials(id) ON DELETE CASCADE,
    target_group TEXT NOT NULL,
    PRIMARY KEY (material_id, target_group)
);

-- What a commune's bookshelf holds: one row per addition, closed by its removal.
CREATE TABLE bookshelf_shelf_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    document_id INTEGER REFERENCES bookshelf_documents(id),
    material_id INTEGER REFERENCES bookshelf_materials(id),
    added_on DATE NOT NULL,
    removed_on DATE,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES accounts(id),
    created_at DATETIME NOT NULL,
    CHECK ((document_id IS NULL) <> (material_id IS NULL))
);
CREATE INDEX bookshelf_shelf_items_unit_idx ON bookshelf_shelf_items (unit_id, added_on);
