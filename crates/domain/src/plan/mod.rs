//! Plans (kế hoạch): being written.
