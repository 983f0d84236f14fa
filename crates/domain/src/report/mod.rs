//! Report forms (biểu mẫu báo cáo): being written.
