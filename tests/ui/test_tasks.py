import threading
import time

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QWidget

from civdesk.core.jobs import Cancelled
from ui.tasks import run_task, running_tasks


def test_result_reaches_on_done(qtbot):
    results = []
    handle = run_task(None, "求和", lambda ctx, a, b=0: a + b, 2, b=3, on_done=results.append)
    with qtbot.waitSignal(handle.signals.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [5]
    assert results == [5]
    assert handle.is_done
    assert handle not in running_tasks()


def test_exception_reaches_on_error(qtbot):
    errors, results = [], []

    def broken(ctx):
        raise ValueError("第 3 行身份证号无效")

    handle = run_task(None, "导入志愿者", broken, on_done=results.append, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["导入志愿者失败：第 3 行身份证号无效"]
    assert results == []
    assert handle.is_done and handle.progress_dialog is None


def test_exception_without_message_names_its_type(qtbot):
    errors = []

    def broken(ctx):
        raise KeyError

    run_task(None, "导出", broken, on_error=errors.append, show_progress=False)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["导出失败：KeyError"]


def test_cancel_stops_long_loop(qtbot):
    started = threading.Event()
    loops = []
    results = []

    def long_loop(ctx):
        started.set()
        for i in range(1_000_000):
            ctx.check_cancelled()
            loops.append(i)
            time.sleep(0.001)
        return "completed"

    handle = run_task(None, "长任务", long_loop, on_done=results.append)
    assert started.wait(5)
    with qtbot.waitSignal(handle.signals.cancelled, timeout=5000):
        handle.cancel()
    assert handle.is_cancel_requested
    assert results == []
    assert len(loops) < 1_000_000


def test_dialog_cancel_button_cancels(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    def until_cancelled(ctx):
        while not ctx.cancelled:
            ctx.progress(1, 10, "处理中")
            time.sleep(0.005)
        raise Cancelled()

    handle = run_task(parent, "生成报表", until_cancelled)
    dialog = handle.progress_dialog
    assert dialog.windowTitle() == "生成报表"
    assert not dialog.isVisible()  # quick tasks must not flash a dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert dialog.labelText() == "处理中"
    with qtbot.waitSignal(handle.signals.cancelled, timeout=5000):
        dialog.canceled.emit()
    assert handle.progress_dialog is None


def test_progress_is_throttled_but_final_update_arrives(qtbot):
    n = 100_000
    updates = []

    def count(ctx):
        started = time.monotonic()
        for i in range(1, n + 1):
            ctx.progress(i, n, "计数")
        return time.monotonic() - started

    handle = run_task(None, "计数", count)
    handle.signals.progress.connect(lambda *args: updates.append(args))
    with qtbot.waitSignal(handle.signals.finished, timeout=10000) as blocker:
        pass
    elapsed = blocker.args[0]
    assert updates[-1] == (n, n, "计数")
    assert len(updates) <= elapsed * 10 + 2
    assert len(updates) < n // 100


def test_work_runs_off_the_gui_thread(qtbot):
    def where(ctx):
        return threading.get_ident(), QThread.currentThread() == QApplication.instance().thread()

    results = []
    handle = run_task(None, "线程", where, on_done=results.append)
    assert handle.wait(5000)
    ident, on_gui = results[0]
    assert ident != threading.get_ident()
    assert not on_gui


def test_uncancellable_task_has_no_cancel_path(qtbot):
    gate = threading.Event()
    results = []

    def waits(ctx):
        gate.wait(5)
        return ctx.cancelled

    handle = run_task(None, "备份", waits, cancellable=False, on_done=results.append)
    handle.progress_dialog.reject()  # what Esc does
    gate.set()
    assert handle.wait(5000)
    assert results == [False]


def test_a_widget_deleted_while_its_job_ran_gets_no_callback(qtbot):
    """A page closed while its background work ran (the 工作台's 待办 outliving its window): the
    outcome arrives, but not in the dead widget's slots."""
    import shiboken6

    page = QWidget()
    release, called = threading.Event(), []

    def work(ctx):
        assert release.wait(10)
        return "done"

    handle = run_task(page, "汇总", work, show_progress=False, on_done=called.append, on_error=called.append)
    shiboken6.delete(page)
    release.set()
    assert handle.wait(5000)
    assert called == [] and handle not in running_tasks()
