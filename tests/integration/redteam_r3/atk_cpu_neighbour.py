"""A neighbour graded at the same time (--jobs 2): no CPU bound per submission?

cpuhog05 forks 16 busy-looping processes, each in a session of its own (Linux's autogroup
scheduler then gives each the weight of a whole login), for 60 s, then idles in its own cells
until they end. honest05c and honest05d are honest and graded on the other worker meanwhile.
Kept small on purpose (16 processes, 60 s: the machine is shared); a real attacker may use
about 60 processes for the whole 600 s a submission may run.
Expected if submissions are isolated: the honest neighbours keep 13/13 and their usual time.
"""
from common import add_code, blank, honest

GROUP = "cpu"

HOG = r'''
import os as _rt_os, time as _rt_t
for _rt_i in range(16):
    if _rt_os.fork() == 0:
        try:
            _rt_os.setsid()
        except OSError:
            pass
        _rt_end = _rt_t.time() + 60
        while _rt_t.time() < _rt_end:
            pass
        _rt_os._exit(0)
print("spinners started")
'''


def build_hog() -> dict:
    nb = blank("ex05-erosion")
    add_code(nb, HOG, after="setup")
    for _ in range(2):
        add_code(nb, "import time\ntime.sleep(30)")
    return nb


SUBMISSIONS = {("cpuhog05", "ex05-erosion"): build_hog,
               ("honest05c", "ex05-erosion"): lambda: honest("ex05-erosion"),
               ("honest05d", "ex05-erosion"): lambda: honest("ex05-erosion")}
EXPECT = "honest05c/d keep 13/13 and about their usual time"
