/**
 * Pictures of runs: the series of a run directory's metrics.jsonl ({@link
 * org.sparkprop.driver.report.RunMetrics}), drawn with XChart ({@link
 * org.sparkprop.driver.report.RunCharts}) as PNG files and a one-page report.html ({@link
 * org.sparkprop.driver.report.Report}), for one run or several overlaid.
 */
package org.sparkprop.driver.report;
