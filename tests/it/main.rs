//! casebook's integration tests: fixture sites built by the real binary into temp
//! folders, checked file by file. One test binary, a module per concern.

mod check;
mod customise;
mod dates;
mod deploy;
mod editors_files;
mod errors;
mod hostile;
mod incremental;
mod lesson;
mod mistakes;
mod output;
mod own_site;
mod pictures;
mod properties;
mod scaffold;
mod serve;
mod sites;
mod snapshots;
mod sources;
mod study;
mod support;
mod timeline;
