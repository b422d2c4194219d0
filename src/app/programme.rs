//! Use cases of the programme (placeholder while it is written).
