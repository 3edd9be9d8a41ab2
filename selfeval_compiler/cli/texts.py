"""Every text of the command line (help, usage errors, closing lines) in Chinese and English.

The language is chosen before the app is built: ``--lang`` (before or after the subcommand;
the last one given), else ``SELFEVAL_LANG``, else ``LANGUAGE``, else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``); Chinese when none says English.
"""

from __future__ import annotations

from selfeval_compiler.diagnostics import Language
from selfeval_compiler.diagnostics.formats import default_language

TEXTS: dict[str, dict[str, str]] = {
    "app": {
        "zh": "selfeval：把 YAML 表单编译为财政项目支出绩效自评表（HTML / PDF / JSON / xlsx）。",
        "en": "selfeval: compile YAML specs into 财政项目支出绩效自评表 forms (HTML / PDF / JSON / xlsx).",
    },
    "paths": {
        "zh": "表单文件或目录，相对于当前目录（默认项目的表单目录 specs/，在任何子目录中运行都一样）",
        "en": "spec files or folders, relative to the working folder (default: the project's"
        " spec folder specs/, from any folder inside the project)",
    },
    "new.form": {
        "zh": "哪张表的骨架：self-evaluation 自评表（默认），goals 绩效目标申报表，department 部门整体支出绩效自评表",
        "en": "which skeleton: self-evaluation (default), goals (the target-setting form) or department (the 部门整体 form)",
    },
    "form": {
        "zh": "哪张表：默认按每份表单的 stage（申报 → 绩效目标申报表，自评 → 自评表）；self-evaluation 全部按自评表，goals 全部按绩效目标申报表（默认输出到 build/goals）。部门整体的 spec 始终印部门整体表",
        "en": "which form: by default each spec's own stage (its stage key: the target-setting form in spring, the self-evaluation at the year's end); self-evaluation or goals prints every spec as that form (goals: output defaults to build/goals); a department spec always prints as the department form",
    },
    "strict": {"zh": "警告也视为失败", "en": "treat warnings as failures"},
    "lang": {
        "zh": "消息语言 zh 或 en（默认按 locale）",
        "en": "message language, zh or en (default: from the locale)",
    },
    "jobs": {
        "zh": "并行进程数（默认为 CPU 核数）",
        "en": "worker processes (default: one per core)",
    },
    "check": {
        "zh": "检查表单：载入、校验、推算，不生成文件。",
        "en": "Check specs: load, validate and derive; write nothing.",
    },
    "check.hook": {
        "zh": "pre-commit 钩子模式：只检查所列文件中项目表单目录下的表单；改动的 _defaults.yaml 检查它适用的表单；其他文件（CI 配置、mkdocs.yml、评分规则）跳过；没有可检查的表单时静默通过",
        "en": "pre-commit hook mode: of the files named, check only specs below the project's"
        " spec folder; a changed _defaults.yaml checks the specs it applies to; other files"
        " (CI configuration, mkdocs.yml, profiles) are skipped; with no spec left, pass quietly",
    },
    "check.format": {
        "zh": "输出格式：text、json、github 或 sarif",
        "en": "report format: text, json, github or sarif",
    },
    "build": {
        "zh": "生成表单：每份表单的 HTML、PDF、JSON，以及每个目录的合并 PDF（只重做有变化的）。",
        "en": "Build forms: HTML, PDF and JSON per spec, one PDF per folder (what changed only).",
    },
    "build.output": {
        "zh": "输出目录（默认项目根目录下的 build/）",
        "en": "output folder (default: build/ at the project root)",
    },
    "build.format": {
        "zh": "生成的格式：{formats}（可重复；默认 {defaults}）",
        "en": "formats to write: {formats} (repeatable; default {defaults})",
    },
    "build.shard": {
        "zh": "只生成 N 份中的第 K 份（按表单划分；K 写 index 时取 Kubernetes 的"
        " JOB_COMPLETION_INDEX 加 1）；各份用 selfeval merge 合并，合并文件在合并时生成",
        "en": "build only the K-th of N parts (split by form; K given as index is Kubernetes'"
        " JOB_COMPLETION_INDEX plus 1); gather the parts with selfeval merge, which makes the"
        " bundles",
    },
    "build.summary": {
        "zh": "同时写出所建表单的汇总表（输出目录下的 summary.*）",
        "en": "also write the summary of the forms built (summary.* in the output folder)",
    },
    "build.quiet": {"zh": "不显示进度", "en": "show no progress"},
    "build.force": {
        "zh": "忽略上次的结果，全部重新生成",
        "en": "ignore the last build and rebuild everything",
    },
    "diff": {
        "zh": "对比两个版本的表单：每个项目的输入和推算结果（执行率、得分、总分、等级）如何变化。",
        "en": "Compare two versions of the forms: how each project's inputs and derived figures"
        " (执行率, 得分, 总分, 评分等级) changed.",
    },
    "diff.arguments": {
        "zh": "[REV1 [REV2]] [PATHS…]：版本（默认 HEAD 对比工作区）和要比较的路径",
        "en": "[REV1 [REV2]] [PATHS…]: revisions (default HEAD against the working tree) and paths",
    },
    "diff.format": {
        "zh": "输出格式：text、markdown 或 json",
        "en": "output format: text, markdown or json",
    },
    "serve": {
        "zh": "实时预览：在浏览器里查看表单和问题，保存 spec 后页面自动更新（只在本机可访问）。",
        "en": "Live preview: the forms and their problems in a browser, updated as specs are"
        " saved (reachable from this machine only).",
    },
    "serve.port": {
        "zh": "端口（默认 8000；0 为任选空闲端口）",
        "en": "port (default 8000; 0 picks a free one)",
    },
    "serve.host": {
        "zh": "监听地址（默认 127.0.0.1；其他地址会让别的机器也能看到表单）",
        "en": "address to listen on (default 127.0.0.1; another lets other machines see the forms)",
    },
    "serve.url": {"zh": "预览：{url}（Ctrl-C 结束）", "en": "Preview: {url} (Ctrl-C to stop)"},
    "serve.exposed": {
        "zh": "警告：在 {host} 上监听，同一网络中的其他机器也能看到这些表单。",
        "en": "warning: listening on {host}; other machines on the network can see these forms.",
    },
    "serve.cannot-bind": {
        "zh": "无法监听端口 {port}：{detail}",
        "en": "cannot listen on port {port}: {detail}",
    },
    "merge": {
        "zh": "合并分片：把 selfeval build --shard K/N 的各个输出目录合成一个，并生成每个目录的"
        "合并 PDF 和合并工作簿（不重新生成任何表单）。",
        "en": "Merge shards: gather the output folders of selfeval build --shard K/N into one and"
        " make each folder's bundles (no form is rendered again).",
    },
    "merge.shards": {
        "zh": "各分片的输出目录（每个 K 一个）",
        "en": "the shards' output folders (one for each K)",
    },
    "merge.output": {
        "zh": "写入合并结果的目录",
        "en": "folder to write the merged build into",
    },
    "merged": {
        "zh": "合并了 {forms} 份表单的 {files} 个文件",
        "en": "{files} file(s) of {forms} form(s) merged",
    },
    "summary": {
        "zh": "汇总表：读一个或多个构建目录的 JSON，写出项目支出绩效自评结果汇总表（小计、合计、等级分布和图表）。",
        "en": "Summary: read the JSON of one or more build folders and write the results table"
        " (subtotals, totals, grade counts and charts).",
    },
    "summary.builds": {
        "zh": "构建目录（selfeval build 的输出；默认项目根目录下的 build/）",
        "en": "build folders (selfeval build's output; default: build/ at the project root)",
    },
    "summary.output": {
        "zh": "写入汇总表的目录（默认项目根目录下的 build/）",
        "en": "folder to write the summary into (default: build/ at the project root)",
    },
    "summary.format": {
        "zh": "格式：html、pdf、xlsx、json（可重复；默认 html、pdf、json）",
        "en": "formats: html, pdf, xlsx, json (repeatable; default html, pdf, json)",
    },
    "summarised": {
        "zh": "汇总了 {projects} 个项目的自评表",
        "en": "{projects} self-evaluation form(s) summarised",
    },
    "summarised.goals": {
        "zh": "汇总了 {goals} 个项目的申报表",
        "en": "{goals} target-setting form(s) summarised",
    },
    "summarised.both": {
        "zh": "汇总了 {projects} 个项目的自评表、{goals} 个项目的申报表（分两张表）",
        "en": "{projects} self-evaluation form(s) and {goals} target-setting form(s) summarised (two tables)",
    },
    "summarised.departments": {
        "zh": "；另有 {departments} 个部门整体支出绩效自评表，单列一表",
        "en": "; and {departments} department form(s), in a table of their own",
    },
    "rollover": {
        "zh": "结转到下一年：由今年的 spec 写出明年的（保留目标、指标、年初预算数和注释，去掉实际完成值、得分和执行数）。",
        "en": "Roll over to next year: next year's specs from this year's (targets, indicators,"
        " initial budgets and comments kept; actuals, scores and executed amounts removed).",
    },
    "rollover.sources": {"zh": "今年的 spec 文件或目录", "en": "this year's spec files or folders"},
    "rollover.year": {"zh": "新的年度", "en": "the new year"},
    "rollover.output": {"zh": "写入明年 spec 的目录", "en": "folder for next year's specs"},
    "rolled": {
        "zh": "写出 {written} 个文件；{errors} 个错误。写出的表单处于申报阶段（stage: 申报）：selfeval check {output} 按绩效目标申报表检查，selfeval build {output} 生成申报表。",
        "en": "{written} file(s) written; {errors} error(s). The specs written are at the 申报 stage (stage: 申报): selfeval check {output} checks them as the target-setting form, selfeval build {output} prints it.",
    },
    "rolled.none": {
        "zh": "没有写出文件；{errors} 个错误。",
        "en": "no file written; {errors} error(s).",
    },
    "bad-year": {
        "zh": "年度 {year} 不在 1990–2200 之间",
        "en": "the year {year} is not between 1990 and 2200",
    },
    "import": {
        "zh": "导入已有的自评表（xlsx、xls、文字版 PDF、网页 htm）：每张表写成一个 spec，照录表上印出的数字。",
        "en": "Import published forms (xlsx, xls, text PDF, htm): one spec per form, keeping"
        " the figures the form printed.",
    },
    "import.files": {"zh": "要导入的文件", "en": "files to import"},
    "import.output": {"zh": "写入 spec 的目录", "en": "folder to write the specs into"},
    "import.profile": {
        "zh": "评分规则（内置名或 .profile.yaml 路径），写入每个 spec，并用它的标签识别表格",
        "en": "profile (a built-in name or a .profile.yaml path): written into each spec, and"
        " its labels help read the forms",
    },
    "import.force": {"zh": "覆盖已存在的 spec", "en": "overwrite existing specs"},
    "imported": {
        "zh": "{files} 个文件：导入 {forms} 张表，写出 {written} 个 spec；{errors} 个错误，{warnings} 个警告",
        "en": "{files} file(s): {forms} form(s) read, {written} spec(s) written; {errors} error(s), {warnings} warning(s)",
    },
    "imported.file": {"zh": "{file}：{count} 张表", "en": "{file}: {count} form(s)"},
    "new": {
        "zh": "新建一份表单骨架：所有必填项和中文注释；不会覆盖已有文件。",
        "en": "Create a spec skeleton with every required key; never overwrites a file.",
    },
    "new.path": {
        "zh": "新表单的路径，如 specs/单位/06-新项目.yaml",
        "en": "path of the new spec, e.g. specs/unit/06-new-project.yaml",
    },
    "new.year": {"zh": "年度（默认去年）", "en": "year (default: last year)"},
    "version": {"zh": "显示版本并退出。", "en": "Show the version and exit."},
    "init": {
        "zh": "新建一个存放本单位表单的仓库：specs/ 和示例表单、pre-commit 钩子、CI 文件、.gitignore、README；不会覆盖已有文件。",
        "en": "Lay out a bureau's own repository for its forms: specs/ with an example, the pre-commit hook, a CI file, .gitignore, a README; never overwrites a file.",
    },
    "init.dir": {
        "zh": "仓库文件夹（默认当前文件夹）",
        "en": "the repository's folder (default: here)",
    },
    "init.ci": {
        "zh": "CI 文件：github（GitHub Actions）、gitlab（GitLab CI）或 none",
        "en": "CI file: github (GitHub Actions), gitlab (GitLab CI) or none",
    },
    "init.force": {
        "zh": "文件夹不空也继续：只补上缺少的文件，已有文件不动",
        "en": "go on in a folder that is not empty: write only the missing files, keep the others",
    },
    "initialised": {
        "zh": "写出 {written} 个文件，保留已有的 {kept} 个。下一步：cd {path}，git init，然后 selfeval check",
        "en": "{written} file(s) written, {kept} already there kept. Next: cd {path}, git init, then selfeval check",
    },
    "init.kept": {"zh": "保留（已存在）：{path}", "en": "kept (already there): {path}"},
    "completion": {
        "zh": '打印 bash 或 zsh 的命令补全脚本，如 eval "$(selfeval completion bash)" 放进 ~/.bashrc。',
        "en": 'Print the bash or zsh completion script, e.g. eval "$(selfeval completion bash)"'
        " in ~/.bashrc.",
    },
    "completion.shell": {"zh": "bash 或 zsh", "en": "bash or zsh"},
    "bad-choice": {
        "zh": "{option} 只能是 {allowed}，这里是“{value}”",
        "en": "{option} must be one of {allowed}, not '{value}'",
    },
    "too-many-revisions": {
        "zh": "最多两个版本，这里有：{revisions}",
        "en": "at most two revisions, found: {revisions}",
    },
    "created": {
        "zh": "已创建 {path}；填写后运行 selfeval check {path}",
        "en": "created {path}; fill it in, then run selfeval check {path}",
    },
    "interrupted": {"zh": "已中断", "en": "interrupted"},
}


def text(key: str, lang: str, **args: str) -> str:
    """``TEXTS[key]`` in ``lang`` with its placeholders filled (by replacement, so that the
    user's own text is never read as a format string)."""
    chosen = TEXTS[key]["en" if lang == Language.EN else "zh"]
    for name, value in args.items():
        chosen = chosen.replace("{" + name + "}", value)
    return chosen


def language_of(argv: list[str]) -> str:
    """The language a command line asks for, read before the app is built (for its help): the
    last ``--lang``, so that a subcommand's own wins over the global one before it."""
    chosen = default_language()
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        if argument == "--lang" and index + 1 < len(argv):
            chosen = argv[index + 1]
        elif argument.startswith("--lang="):
            chosen = argument.removeprefix("--lang=")
    return chosen
