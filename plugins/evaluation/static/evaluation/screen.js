/*
 * 大屏 (plugins/evaluation/screen.py): draws the screen's charts with the self-hosted
 * ECharts from the JSON in #screen-data, then fetches the same JSON from the data URL
 * every refresh period and redraws, so a screen left on all day stays current without
 * reloading the page. Font sizes follow the window's height (18px at 1080 lines), so a
 * 1920x1080 wall and a projector read alike; the big numbers and the tables beside the
 * charts are in the HTML already and need none of this.
 */
(function () {
    "use strict";
    var root = document.getElementById("screen");
    var source = document.getElementById("screen-data");
    if (!root || !source || !window.echarts) {
        return;
    }
    var echarts = window.echarts;
    var COLOURS = ["#ffd23f", "#4fc3f7", "#ff5a4e", "#7ee081", "#c792ea", "#ff9f43", "#48dbfb", "#f8a5c2"];
    var TEXT = "#ffffff";
    var LINE = "#2c4a7c";
    var MAX_BARS = 12;
    var charts = {};
    var latest = JSON.parse(source.textContent);

    function size(scale) {
        return Math.max(12, Math.round((window.innerHeight / 60) * (scale || 1)));
    }

    function empty(table) {
        return !table || !table.rows.length || table.total === 0;
    }

    function common(table) {
        var option = {
            color: COLOURS,
            animationDuration: 600,
            textStyle: { color: TEXT, fontSize: size() },
            tooltip: { trigger: "item", textStyle: { fontSize: size() } },
            grid: { left: "3%", right: "5%", top: size(3), bottom: "3%", containLabel: true }
        };
        return option;
    }

    // Nothing to draw (no rows, or only zeros): say so, without empty axes or zero bars.
    function nothing() {
        return {
            title: {
                text: "暂无数据",
                left: "center",
                top: "middle",
                textStyle: { color: TEXT, fontSize: size(1.4), fontWeight: "normal" }
            }
        };
    }

    function axis(extra) {
        var result = {
            axisLabel: { color: TEXT, fontSize: size(0.9) },
            axisLine: { lineStyle: { color: TEXT } },
            splitLine: { lineStyle: { color: LINE } }
        };
        for (var name in extra) {
            result[name] = extra[name];
        }
        return result;
    }

    function legend() {
        return { top: 0, textStyle: { color: TEXT, fontSize: size(0.9) }, type: "scroll", pageTextStyle: { color: TEXT } };
    }

    // One drawing per kind of table; "activities-share" is drawn from the activities table.
    var draw = {
        activities: function (table) {
            var option = common(table);
            option.tooltip.trigger = "axis";
            option.legend = legend();
            option.xAxis = axis({ type: "category", data: table.rows.map(function (row) { return row[0]; }) });
            option.yAxis = axis({ type: "value", minInterval: 1 });
            option.series = table.columns.map(function (column, index) {
                return {
                    name: column,
                    type: "bar",
                    stack: "activities",
                    data: table.rows.map(function (row) { return row[1][index]; })
                };
            });
            return option;
        },
        "activities-share": function (table) {
            var slices = table.columns.map(function (column, index) {
                var total = 0;
                table.rows.forEach(function (row) { total += row[1][index] || 0; });
                return { name: column, value: total };
            }).filter(function (slice) { return slice.value > 0; });
            var option = common(table);
            option.series = [pie(slices)];
            return option;
        },
        ratings: function (table) {
            var option = common(table);
            option.series = [pie(table.rows.map(function (row) {
                return { name: row[0], value: row[1][0] || 0 };
            }).filter(function (slice) { return slice.value > 0; }))];
            return option;
        }
    };

    function pie(data) {
        return {
            type: "pie",
            radius: ["38%", "68%"],
            center: ["50%", "55%"],
            data: data,
            label: {
                color: TEXT,
                fontSize: size(0.95),
                formatter: "{b}\n{c}（{d}%）",
                width: size(8),
                overflow: "break"
            },
            labelLine: { lineStyle: { color: TEXT } }
        };
    }

    // Any other table: horizontal bars, largest first (one column), or grouped bars.
    function bars(table) {
        var option = common(table);
        var rows = table.rows.slice();
        if (table.columns.length === 1) {
            rows = rows.filter(function (row) { return row[1][0] !== null; });
            rows.sort(function (a, b) { return (b[1][0] || 0) - (a[1][0] || 0); });
            rows = rows.slice(0, MAX_BARS).reverse();
            option.yAxis = axis({
                type: "category",
                data: rows.map(function (row) { return row[0]; }),
                axisLabel: { color: TEXT, fontSize: size(0.85), width: window.innerWidth / 10, overflow: "truncate" }
            });
            option.xAxis = axis({ type: "value", max: table.unit === "%" ? 100 : null, minInterval: 1 });
            option.series = [{
                type: "bar",
                name: table.columns[0],
                data: rows.map(function (row) { return row[1][0]; }),
                label: { show: true, position: "right", color: TEXT, fontSize: size(0.85) }
            }];
            return option;
        }
        option.tooltip.trigger = "axis";
        option.legend = legend();
        option.xAxis = axis({ type: "category", data: rows.map(function (row) { return row[0]; }) });
        option.yAxis = axis({ type: "value" });
        option.series = table.columns.map(function (column, index) {
            return {
                name: column,
                type: "bar",
                stack: table.unit === "%" ? null : "all", // counts add up; a cell may be empty
                data: rows.map(function (row) { return row[1][index]; })
            };
        });
        return option;
    }

    function render(data) {
        var tables = {};
        data.charts.forEach(function (table) { tables[table.key] = table; });
        data.figures.forEach(function (figure) {
            var element = root.querySelector('[data-figure="' + figure.key + '"]');
            if (element) {
                element.textContent = figure.value === null ? "—" : String(figure.value);
            }
        });
        var updated = document.getElementById("screen-updated");
        if (updated) {
            updated.textContent = data.updated;
        }
        root.removeAttribute("data-stale");
        Array.prototype.forEach.call(root.querySelectorAll("[data-chart]"), function (element) {
            var key = element.getAttribute("data-chart");
            var table = tables[key === "activities-share" ? "activities" : key];
            if (!table) {
                return;
            }
            var chart = charts[key] || (charts[key] = echarts.init(element, null, { renderer: "canvas" }));
            chart.setOption(empty(table) ? nothing() : (draw[key] || bars)(table), true);
        });
        latest = data;
    }

    function refresh() {
        var request = new XMLHttpRequest();
        request.open("GET", root.getAttribute("data-url"));
        request.setRequestHeader("Accept", "application/json");
        request.onload = function () {
            if (request.status === 200) {
                try {
                    render(JSON.parse(request.responseText));
                    return;
                } catch (error) {
                    // fall through: keep the last data on screen
                }
            }
            root.setAttribute("data-stale", "true");
        };
        request.onerror = function () {
            root.setAttribute("data-stale", "true");
        };
        request.send();
    }

    render(latest);
    var resizing = null;
    window.addEventListener("resize", function () {
        window.clearTimeout(resizing);
        resizing = window.setTimeout(function () {
            Object.keys(charts).forEach(function (key) { charts[key].resize(); });
            render(latest); // font sizes follow the new height
        }, 200);
    });
    var seconds = parseInt(root.getAttribute("data-refresh-seconds"), 10) || 300;
    window.setInterval(refresh, seconds * 1000);
})();
