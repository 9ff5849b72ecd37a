//! The `casebook` command. The pipeline behind `build` is still being assembled (issue 2),
//! so for now the command says so instead of pretending to build.

use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!(
        "casebook {}: the build pipeline is not assembled yet; see issue 2",
        env!("CARGO_PKG_VERSION")
    );
    ExitCode::from(2)
}
