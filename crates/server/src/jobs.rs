//! The job runner. The daily reminder digest is the kernel's (`kernel::notify`), fed by the
//! capabilities' reminder sources; several instances may run this loop, and the day's run is
//! claimed in the database.

use chrono::Timelike;

use crate::AppState;

use kernel::notify::run_daily_once;

/// Checks every ten minutes whether today's reminders are due (from the configured hour,
/// Vietnam time) and runs them once per day across all instances.
pub fn spawn(state: AppState) {
    if !state.config.jobs.reminders {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = chrono::Utc::now() + chrono::Duration::hours(7);
            if now.hour() < state.config.jobs.reminder_hour {
                continue;
            }
            if let Err(e) = run_daily_once(&state, now.date_naive()).await {
                tracing::error!(error = %e, "reminder job failed");
            }
        }
    });
}
