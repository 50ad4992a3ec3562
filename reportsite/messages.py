"""Words a user reads, kept apart from the code: one catalogue keyed by slug, in Chinese and English.

Stages produce problems and errors as data (a slug, a location and parameters); only the command
line turns them into sentences, in the language the user chose (`--lang`, Chinese by default).
A slug missing from the catalogue falls back to the English sentence written where the problem
was found (older messages, until every one has moved here).

This module imports nothing of ours, so every floor may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

CATALOGUE: dict[str, tuple[str, str]] = {
    # slug: (Chinese, English). Parameters are `str.format` fields.
    # The command line, the output folder, the lock, the disk, serve, package and frozen stores
    # (cli.py, publish.py, lock.py, errors.py, serve.py, package.py, freeze.py). The location is
    # printed before each, so a sentence does not repeat the path.
    "usage": (
        "命令行有误：{detail}（见 python {prog} --help）",
        "bad command line: {detail} (see python {prog} --help)"),
    "internal": (
        "内部错误：{what}（{place}）。这是本工具的缺陷，不是输入有误；请加 --debug 重新运行，并把显示的回溯信息报告给维护者",
        "internal error: {what} (at {place}); this is a bug in the tool, not in your input: run again "
        "with --debug and report the traceback it shows"),
    "interrupted": (
        "已中断；写了一半的文件均已丢弃，网站与冻结页面要么保持原样，要么已完整更新",
        "interrupted; nothing half-written is kept: the site and frozen pages are either as they were "
        "or wholly new"),
    "out-unsafe": (
        "输出文件夹会替换或包含构建所读取的 {folder}；请另选一个专用的文件夹，例如 site",
        "the output folder would replace or contain {folder}, which the build reads; choose a folder "
        "of its own, such as site"),
    "out-not-folder": (
        "这是一个文件，不是文件夹；构建不会替换它，请另选输出文件夹",
        "this is a file, not a folder; the build will not replace it: choose another output folder"),
    "out-not-ours": (
        "该文件夹不是空的，也不是本工具生成的网站（没有 {marker} 标记文件）；构建会整体替换输出文件夹，"
        "为免删除其中的文件而停止：请另选一个新的或空的文件夹",
        "this folder is neither empty nor a site this tool built (it has no {marker} marker file); a "
        "build replaces the whole output folder, so it stops rather than delete anything: choose a new "
        "or empty folder"),
    "out-link": (
        "这是符号链接，构建会把它替换为文件夹；请直接给出它所指向的文件夹",
        "this is a symbolic link, which a build would replace with a folder; give the folder it points "
        "to instead"),
    "locked": (
        "另一次构建（进程 {pid}，开始于 {started}）正在使用这个项目；请等它结束后再构建",
        "another build (process {pid}, started {started}) is running in this project; wait for it to "
        "finish, then build again"),
    "lock-failed": (
        "无法创建构建锁：{reason}",
        "cannot create the build lock: {reason}"),
    "disk-full": (
        "磁盘已满（{reason}）；请腾出空间后重试",
        "the disk is full ({reason}); free some space and try again"),
    "no-permission": (
        "没有写入权限（{reason}）",
        "no permission to write here ({reason})"),
    "read-only": (
        "此处是只读的，无法写入（{reason}）",
        "this place is read-only ({reason})"),
    "os-error": (
        "无法读写（{reason}）",
        "cannot read or write here ({reason})"),
    "settings-unreadable": (
        "无法读取站点设置：{reason}",
        "cannot read the site settings: {reason}"),
    "settings-not-mapping": (
        "站点设置必须是“键: 值”的映射",
        "the site settings must be a mapping of `key: value`"),
    "settings-key": (
        "站点设置中的 `{key}` 必须是“键: 值”的映射，而不是 {value}",
        "`{key}` in the site settings must be a mapping of `key: value`, not {value}"),
    "epoch-bad": (
        "环境变量 SOURCE_DATE_EPOCH 必须是 1970 年以来的整秒数（0 到 253402300799，即 9999 年底），而不是 {value}",
        "SOURCE_DATE_EPOCH must be whole seconds since 1970 (0 to 253402300799, the end of year 9999), "
        "not {value}"),
    "epoch-zip": (
        "zip 条目的日期只能在 1980 年到 2107 年之间，而 SOURCE_DATE_EPOCH={value} 在 {year} 年",
        "zip entries can only be dated 1980 to 2107, and SOURCE_DATE_EPOCH={value} falls in {year}"),
    "content-missing": (
        "--content 指定的内容文件夹不存在",
        "the content folder given by --content does not exist"),
    "republish-unknown": (
        "没有可重新发布的版次 {edition}；现有版次：{known}",
        "there is no edition {edition} to re-publish; the editions are {known}"),
    "republish-not-frozen": (
        "版次 {edition} 未冻结；--republish 只用于已冻结的版次，直接构建即可",
        "edition {edition} is not frozen; --republish is for frozen editions only: build without it"),
    "port-busy": (
        "无法在此地址提供预览（{reason}）；请用 --port 另选端口（0 表示任一空闲端口）",
        "cannot serve at this address ({reason}); choose another --port (0 picks a free one)"),
    "zip-is-folder": (
        "--zip 指向一个文件夹；请给出 zip 文件的路径，例如 dist/site.zip",
        "--zip names a folder; give the path of a zip file, such as dist/site.zip"),
    "zip-not-ours": (
        "该文件已存在且不是 zip 文件；打包不会替换它，请另选 --zip 路径",
        "this file exists and is not a zip; packaging will not replace it: choose another --zip"),
    "zip-unwritable": (
        "无法在此写入 zip（{reason}）",
        "cannot write the zip here ({reason})"),
    "base-url-credentials": (
        "--base-url 不能包含用户名或密码：它们会被写进公开的 sitemap.xml",
        "--base-url must not carry a user name or password: they would be published in sitemap.xml"),
    "base-url-bad": (
        "--base-url 的主机名中不能有空白，地址中不能有控制字符",
        "--base-url must have no spaces in its host and no control characters anywhere"),
    "frozen-manifest-json": (
        "冻结版次 {edition} 的 MANIFEST.json 不是有效的 JSON 对象（{detail}）；请从仓库恢复",
        "the MANIFEST.json of frozen edition {edition} is not a valid JSON object ({detail}); restore it "
        "from the repository"),
    "frozen-manifest-field": (
        "冻结版次 {edition} 的 MANIFEST.json 中 `{field}` 缺失或无效（`files` 是“路径: sha256”的映射，"
        "`version` 是正整数，`inputs` 是文本）；请从仓库恢复",
        "the MANIFEST.json of frozen edition {edition} has a missing or invalid `{field}` (`files` maps "
        "paths to sha256, `version` is a positive whole number, `inputs` is text); restore it from the "
        "repository"),
    # Data as people type it (schema.py, check.py). Every {value}, {name} is quoted by model.quote.
    "number-form/leading-zero": (
        "“{value}”以 0 开头，YAML 会把这样的数读作八进制数或文字；请去掉开头的 0：{hint}",
        '"{value}" starts with 0, which YAML reads as an octal number or as text; write it without '
        "the leading zero: {hint}"),
    "number-form/sexagesimal": (
        "YAML 会把“{value}”读作六十进制数（{read}）；请用十进制数字书写，例如 85 或 85.5",
        'YAML reads "{value}" as a base-60 number ({read}); write it in decimal digits, such as 85 '
        "or 85.5"),
    "number-form/base": (
        "“{value}”是 {base} 进制写法；请用十进制数字书写：{hint}",
        '"{value}" is written in base {base}; write it in decimal digits: {hint}'),
    "number-form/underscore": (
        "“{value}”含有下划线，YAML 会忽略它；请只写数字：{hint}",
        '"{value}" has an underscore, which YAML drops; write digits only: {hint}'),
    "number-form/comma": (
        "“{value}”含有逗号；请只写数字，小数用小数点",
        '"{value}" has a comma; write digits only, with a point for decimals'),
    "number-form/plus": (
        "“{value}”带有加号；请去掉加号：{hint}",
        '"{value}" has a plus sign; write it without: {hint}'),
    "number-form/exponent": (
        "“{value}”是科学计数法；请写成普通数字：{hint}",
        '"{value}" has an exponent; write the number in plain digits: {hint}'),
    "number-form/point": (
        "“{value}”的小数点两边都要有数字：{hint}",
        '"{value}" needs a digit on each side of the decimal point: {hint}'),
    "number-form/not-finite": (
        "“{value}”不是有限的数；请写一个数，例如 85",
        '"{value}" is not a finite number; write a number such as 85'),
    "number-form/character": (
        "“{value}”第 {position} 个字符是 {char}；数字请用半角（ASCII）数字书写",
        '"{value}" has the character {char} at position {position}; write numbers in ASCII digits'),
    "number-form/character-hint": (
        "“{value}”第 {position} 个字符是 {char}；数字请用半角（ASCII）数字书写：{hint}",
        '"{value}" has the character {char} at position {position}; write numbers in ASCII digits: '
        "{hint}"),
    "number-form/too-long": (
        "“{value}”的整数部分超过 {digits} 位，不可能是这里的分数或数量；请检查这个数",
        '"{value}" has more than {digits} digits before the point, more than any score or count '
        "here; check the number"),
    "number-form/other": (
        "“{value}”不是普通的十进制数；请写成 85 或 85.5 这样的形式",
        '"{value}" is not a plain decimal number; write it as 85 or 85.5'),
    "code-form": (
        "联盟编号“{value}”第 {position} 个字符是 {char}；编号由半角数字组成，前面可加 D",
        'alliance code "{value}" has the character {char} at position {position}; a code is ASCII '
        "digits with an optional leading D"),
    "code-form/hint": (
        "联盟编号“{value}”第 {position} 个字符是 {char}；编号由半角数字组成，前面可加 D；"
        "是否应为“{hint}”？",
        'alliance code "{value}" has the character {char} at position {position}; a code is ASCII '
        'digits with an optional leading D; did you mean "{hint}"?'),
    "control-character": (
        "“{value}”第 {position} 个字符是控制字符 {char}；请删除它",
        '"{value}" holds the control character {char} at position {position}; delete it'),
    "edition-id": (
        "文件夹“{name}”不是评价年度编号；请写成 YYYY 或 YYYY-YYYY，例如 2020-2021",
        'folder "{name}" is not an edition id; name it YYYY or YYYY-YYYY, e.g. 2020-2021'),
    "edition-id/character": (
        "文件夹“{name}”第 {position} 个字符是 {char}；评价年度编号只用半角数字和连字符：YYYY 或 YYYY-YYYY",
        'folder "{name}" has the character {char} at position {position}; an edition id is ASCII '
        "digits and a hyphen: YYYY or YYYY-YYYY"),
    "edition-id/years": (
        "文件夹“{name}”：年份 {year} 不在 {low}-{high} 之内",
        'folder "{name}": the year {year} is outside {low}-{high}'),
    "edition-id/order": (
        "文件夹“{name}”：第二个年份要晚于第一个年份",
        'folder "{name}": the second year must come after the first'),
    "edition-id/file": (
        "“{name}”是文件；评价年度是一个文件夹，内有 edition.yaml 和 results.yaml",
        '"{name}" is a file; an edition is a folder holding edition.yaml and results.yaml'),
    "edition-period": (
        "评价期 {start} 至 {end} 与评价年度 {edition} 不符：应始于 {first} 年、止于 {last} 年",
        "the period {start} to {end} does not match edition {edition}: it must start in {first} "
        "and end in {last}"),
    # Spreadsheets and the import (sheets.py, importer.py).
    "workbook-type": (
        "无法导入扩展名为 {ext} 的文件：请使用 .xlsx、.xls 或 .csv（UTF-8 或 GBK 编码）",
        "cannot import a file ending in {ext}: use .xlsx, .xls or .csv (UTF-8 or GBK)"),
    "workbook-unreadable": (
        "无法读取该工作簿：{reason}；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入",
        "cannot read the workbook: {reason}; open it in Excel or WPS, save it as .xlsx and import again"),
    "workbook-too-large": (
        "文件过大（{size}，上限 {limit}）：请只保留需要导入的工作表",
        "the file is too large ({size}, limit {limit}): keep only the sheets to import"),
    "workbook-encoding": (
        "CSV 文件既不是 UTF-8 也不是 GBK 编码：请在 Excel 中另存为“CSV UTF-8”",
        "the CSV file is neither UTF-8 nor GBK: save it from Excel as \"CSV UTF-8\""),
    "cell-number": (
        "“{what}”应为数字，单元格中是“{value}”",
        "\"{what}\" must be a number; the cell holds \"{value}\""),
    "cell-range": (
        "得分 {value} 不在 0 到 100 之间",
        "score {value} is not between 0 and 100"),
    "cell-tier": (
        "档次“{value}”不是本届的档次（{tiers}）",
        "tier \"{value}\" is not one of this edition's tiers ({tiers})"),
    "cell-missing": (
        "这一行缺少“{column}”",
        "this row has no \"{column}\""),
    "cell-date": (
        "“{value}”不是日期，请写成 {example} 的形式",
        "\"{value}\" is not a date; write it as {example}"),
    "tier-mismatch": (
        "档次“{value}”与{why}不符：应为“{derived}”",
        "tier \"{value}\" does not match {why}: it should be \"{derived}\""),
    "heading-count": (
        "标题“{heading}”写明 {count} 家，其下实有 {rows} 行",
        "the heading \"{heading}\" says {count}, but {rows} rows follow it"),
    "heading-tier": (
        "标题“{heading}”中的档次不是本届的档次（{tiers}）",
        "the heading \"{heading}\" names no tier of this edition ({tiers})"),
    "formula-cell": (
        "单元格中是公式（{formula}）：请复制后“选择性粘贴为数值”再导入",
        "the cell holds a formula ({formula}): paste it as values and import again"),
    "merged-cells": (
        "合并单元格 {range}：请取消合并，每个单元格填写自己的值",
        "merged cells {range}: unmerge them and give each cell its own value"),
    "hidden-sheet": (
        "工作表“{sheet}”是隐藏的：导入的内容须可见，请取消隐藏后核对",
        "sheet \"{sheet}\" is hidden: what is imported must be visible; unhide and review it"),
    "no-header": (
        "工作表“{sheet}”中找不到表头（须有“联盟编号”一列）",
        "no header row (with a \"联盟编号\" column) in sheet \"{sheet}\""),
    "info-label": (
        "“{label}”不是基本信息的项目，未导入",
        "\"{label}\" is not a field of 基本信息 and was not imported"),
    "duplicate-row": (
        "联盟编号 {code} 重复（首次出现在 {first}）",
        "code {code} is given twice (first at {first})"),
    "new-code": (
        "联盟编号 {code}（{name}）尚未登记：核对无误后加 --update-registry 导入以登记新联盟",
        "code {code} ({name}) is not in the registry: if it is right, import with --update-registry to add it"),
    "name-mismatch": (
        "联盟 {code} 的名称“{typed}”与登记的“{registered}”不同（是否更名？）",
        "the name \"{typed}\" of alliance {code} differs from the registered \"{registered}\" (renamed?)"),
    "registry-added": (
        "登记新联盟 {code} {name}",
        "registered new alliance {code} {name}"),
    "import-no-edition": (
        "没有 {edition} 这一届：请先运行 python build.py new {edition}",
        "there is no edition {edition}: run python build.py new {edition} first"),
    # Content templates and their front matter (pages.py, sandbox.py). The location names the
    # template file and line.
    "template-unsafe": (
        "模板做了沙箱不允许的事：{detail}",
        "the template does something the sandbox forbids: {detail}"),
    "template-failed": (
        "模板运行出错（{kind}）：{detail}",
        "the template failed ({kind}): {detail}"),
    "template-recursion": (
        "宏或包含嵌套过深：是否有宏调用了自身，或页面包含了自身？",
        "macros or includes nest too deeply: does a macro call itself, or a page include itself?"),
    "template-loop-limit": (
        "本页的循环超过了 {limit} 次的上限",
        "the page's loops ran past their limit of {limit} iterations"),
    "template-value-limit": (
        "模板要生成的值超过了 {limit} 个字符（或元素）的上限",
        "the template would make a value past the limit of {limit} characters (or items)"),
    "template-output-limit": (
        "本页超过了 {limit} 个字符的上限",
        "the page grew past its limit of {limit} characters"),
    "template-time-limit": (
        "本页渲染超过了 {limit} 秒的上限",
        "the page took longer than its limit of {limit} seconds to render"),
    "template-outside": (
        "模板 {name} 经由符号链接指向内容文件夹和模板文件夹之外，不予读取",
        "template {name} is a symbolic link out of the content and templates folders; it is not read"),
    "content-outside": (
        "这是指向内容文件夹之外的符号链接，不予读取或发布",
        "this is a symbolic link out of the content folder; it is not read or published"),
    "front-matter-yaml": (
        "页首元数据（front matter）不是有效的 YAML：{detail}",
        "the front matter is not valid YAML: {detail}"),
    "front-matter-shape": (
        "页首元数据必须是“键: 值”的映射，而不是 {kind}",
        "the front matter must be a mapping of `key: value`, not a {kind}"),
    "front-matter-key": (
        "页首元数据中没有 {key} 这一项；可用的是 {keys}",
        "the front matter has no key {key}; the keys are {keys}"),
    "front-matter-description": (
        "页首元数据的 description 必须是一段文字",
        "description in the front matter must be text"),
    "front-matter-script": (
        "页首元数据的 scripts 只能是本工具自带脚本的列表（{known}），不能是 {script}",
        "scripts in the front matter must list the tool's own scripts ({known}), not {script}"),
    # Charts content declares (chart_options.py, charts.py). The location names the content file
    # and the line of the `chart(...)` call.
    "chart-option": (
        "chart() 没有 {option} 这一选项；可用的选项：{allowed}",
        "chart() has no option {option}; the options are: {allowed}"),
    "chart-value": (
        "chart() 的选项 {option} 不能是 {value}；可用的值：{allowed}",
        "chart() option {option} cannot be {value}; the values allowed: {allowed}"),
    "chart-conflict": (
        "chart() 的选项 {option}={value} 不能与 {other} 同用；此时可用的值：{allowed}",
        "chart() option {option}={value} cannot go with {other}; the values allowed there: {allowed}"),
    "chart-not-here": (
        "chart() 的选项 {option} 不适用于 {other}；请删去它",
        "chart() option {option} does not apply to {other}; leave it out"),
    "chart-empty": (
        "chart() 的筛选条件（filter）没有留下任何可画的联盟或分组；请放宽筛选条件",
        "the chart's filter leaves nothing to draw (no group, or no alliance with a score); loosen the filter"),
    # The PDF of record (pdf.py).
    "pdf-engine-unavailable": (
        "无法加载 PDF 排版引擎 WeasyPrint（{reason}）；本次构建不生成 PDF 版报告，网站照常生成。"
        "加 --pdf 可要求必须生成 PDF",
        "the PDF engine WeasyPrint cannot load ({reason}); this build makes the site without the "
        "report's PDF (--pdf makes the PDF required)"),
    "pdf-engine-required": (
        "--pdf 要求生成 PDF 版报告，但无法加载 PDF 排版引擎 WeasyPrint：{reason}",
        "--pdf requires the report's PDF, but the PDF engine WeasyPrint cannot load: {reason}"),
    "pdf-font-unavailable": (
        "PDF 所用的字体缺少报告中的字符 {chars}；本次构建不生成 PDF 版报告，网站照常生成。"
        "请运行 python scripts/fetch_vendor.py 把它们加入字体",
        "the PDF's font lacks characters the report uses ({chars}); this build makes the site "
        "without the report's PDF: run python scripts/fetch_vendor.py to add them to the font"),
    "pdf-font-required": (
        "--pdf 要求生成 PDF 版报告，但 PDF 所用的字体缺少报告中的字符 {chars}；"
        "请运行 python scripts/fetch_vendor.py 把它们加入字体",
        "--pdf requires the report's PDF, but its font lacks characters the report uses ({chars}): "
        "run python scripts/fetch_vendor.py to add them to the font"),
    "pdf-page-unreadable": (
        "生成的报告页面 {page} 中找不到正文，无法排入 PDF",
        "the built report page {page} has no article to set in the PDF"),
    "pdf-outside-fetch": (
        "PDF 只能读取本期报告自己的文件，却要读取 {url}（共 {count} 处）；请删去页面中的这个地址",
        "the PDF may read only the edition's own files, but was asked for {url} ({count} in all); "
        "take that address out of the page"),
    # Names in time (the registry's former_names).
    "former-name-until": (
        "until 应为最后一届使用该名称的报告的编号（如 2020-2021），而不是“{until}”",
        "until must be the id of the last edition that printed the name (such as 2020-2021), not \"{until}\""),
    "former-name-order": (
        "曾用名应按时间先后排列：{until} 不晚于前一个的 {before}",
        "former names go oldest first: {until} is not later than the {before} before it"),
    "registry-renamed": (
        "记录更名 {code}：{old} → {new}（旧名称用至 {until}）",
        "recorded the rename of {code}: {old} -> {new} (the old name printed until {until})"),
    "rename-not-newest": (
        "联盟 {code} 的更名只能在最新一届中记录，而已有更晚的一届 {later}",
        "the rename of alliance {code} can be recorded only in the newest edition, and {later} is later"),
    "a-level-no-history": (
        "A 级名单未列出，也无法计算：规则需要连续 {consecutive} 届的结果，档案中可用的往届只有 {have}；请在 codes 中按公布的名单填写",
        "the A-level list is not given and cannot be computed: the rule needs {consecutive} consecutive editions and the archive has only {have} before this one; list the codes as published"),
    # Authored editions and stale figures (pages.py, stale.py).
    "vs-differs": (
        "本届不是印刷报告的转录（edition.yaml 中没有 printed），vs 写的是 {printed}，按数据计算为 {computed}："
        "请改正这个数字，或删去 vs",
        "this edition is authored here (its edition.yaml has no printed:), and vs gives {printed} where "
        "the data computes {computed}: correct the figure or drop the vs"),
    "stale-figure": (
        "手写的数字 {number} 是上一届（{previous}）正文由表达式算出的数字，本届的计算结果中没有它："
        "可能是从上一届抄来的，请改用表达式",
        "the typed number {number} is a figure the previous edition ({previous}) computed in its "
        "narrative, and no figure of this edition: probably copied from last year; write it as an expression"),
    "stale-period": (
        "正文中写有上一届（{previous}）的年度或评价期“{text}”：请确认这里说的不是本届",
        "the narrative names the previous edition's ({previous}) years or period, \"{text}\": make sure "
        "it does not mean this edition"),
    # Summary lines (console.py): their English form is read by tools and tests.
    "summary-problems": (
        "{errors} 个错误，{warnings} 个警告，{notes} 个已确认",
        "{errors} errors, {warnings} warnings, {notes} acknowledged"),
    "summary-edition": (
        "{edition}：参评 {evaluated} 家（{tiers}），数据不完整 {incomplete} 家",
        "{edition}: {evaluated} evaluated ({tiers}), {incomplete} incomplete"),
    "summary-a-level": (
        "，A 级 {count} 家",
        ", {count} A-level"),
    # The secretariat's commands (authoring.py).
    "new-exists": (
        "{edition} 已经存在（{path}）：new 不会覆盖已有的一届",
        "{edition} exists already ({path}): new never replaces an edition"),
    "new-bad-id": (
        "“{edition}”不是有效的届别编号：应为 YYYY 或 YYYY-YYYY（如 2022-2023），年份在 1990–2100 之间，后一年晚于前一年",
        "\"{edition}\" is not an edition id: write YYYY or YYYY-YYYY (such as 2022-2023), years 1990-2100, the second after the first"),
    "new-no-previous": (
        "找不到作为底本的一届 {edition}：可用 --from 指定（现有：{known}）",
        "there is no edition {edition} to start from: name one with --from (there are: {known})"),
    "new-not-later": (
        "新的一届 {edition} 应晚于底本 {previous}",
        "the new edition {edition} must come after {previous}, the one it starts from"),
    "new-done": (
        "已新建 {edition}（底本 {previous}）：{data} 中 {files} 个数据文件，{content} 中 {pages} 个正文文件。下一步：python build.py template {edition} 数据填写表.xlsx",
        "created {edition} from {previous}: {files} data files in {data}, {pages} narrative files in {content}. Next: python build.py template {edition} FILE.xlsx"),
    "template-unknown": (
        "没有 {edition} 这一届（现有：{known}）：新的一届请先运行 python build.py new {edition}",
        "there is no edition {edition} (there are: {known}): for a new one run python build.py new {edition} first"),
    "template-exists": (
        "{path} 已经存在：template 不会覆盖已有文件，请换一个文件名或先移走它",
        "{path} exists already: template never replaces a file; choose another name or move it away"),
    "template-type": (
        "数据填写表应保存为 .xlsx 文件，而不是“{path}”",
        "the workbook must be an .xlsx file, not \"{path}\""),
    "template-done": (
        "已生成数据填写表 {path}（{edition}，{state}，{rows} 行评价结果）。填写后运行：python build.py import {edition} {path}",
        "wrote the workbook {path} ({edition}, {state}, {rows} result rows). When it is filled in: python build.py import {edition} {path}"),
    "template-filled": ("已填入本届数据", "filled with the edition's data"),
    "template-blank": ("空白", "blank"),
    "import-missing": (
        "找不到要导入的文件 {path}",
        "there is no file {path} to import"),
    "import-done": (
        "已导入 {rows} 行评价结果，写入 {files} 个文件{backup}",
        "imported {rows} result rows into {files} files{backup}"),
    "import-backup": ("（原文件备份在 {path}）", " (the files replaced are kept in {path})"),
    "import-nothing": (
        "数据没有变化：没有写入任何文件",
        "nothing changed: no file written"),
    "import-stopped": (
        "有错误，没有写入任何文件：改正上面指出的单元格后重新导入",
        "there are errors, so nothing was written: correct the cells above and import again"),
}
"""Every message by slug: (Simplified Chinese, English)."""


def say(slug: str, lang: str = DEFAULT_LANG, **params) -> str:
    """The sentence for `slug` in `lang`, its fields filled from `params`."""
    zh, en = CATALOGUE[slug]
    return (en if lang == "en" else zh).format(**params)


@dataclass(frozen=True)
class Message:
    """A sentence not yet put into words: its slug and parameters. `str()` gives the English."""

    slug: str
    params: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The sentence in `lang`."""
        return say(self.slug, lang, **dict(self.params))

    def __str__(self) -> str:
        return self.text("en")


def message(slug: str, **params) -> Message:
    """A `Message` for `slug` (which must be in the catalogue) with `params`."""
    if slug not in CATALOGUE:
        raise KeyError(f"no message {slug!r} in the catalogue")
    return Message(slug, tuple(sorted(params.items())))


def text(value, lang: str = DEFAULT_LANG) -> str:
    """A message (a `Message` or an older plain English string) in `lang`."""
    return value.text(lang) if isinstance(value, Message) else str(value)
