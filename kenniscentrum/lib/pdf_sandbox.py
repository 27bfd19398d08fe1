"""Checks and rewrites one PDF in a process of its own, with limits on what the check may cost.

Run by `upload_check.pdf_check` as `python -I pdf_sandbox.py <inflated bytes> <cpu seconds> <memory bytes>`, with the
PDF on stdin. It imports nothing of the project (only the standard library and pypdf) and gets no environment, so
whatever a hostile file makes pypdf do happens away from the worker, its memory, its keys and its database
connection. A PDF can hold streams that inflate a thousandfold; pypdf's own limits are per stream, so this process
also counts the bytes inflated in all, and the operating system holds its memory and CPU time.

It writes one line of JSON (status, bytes inflated, CPU seconds, peak memory) and, when the PDF is accepted, the
rewritten PDF after it. Statuses: "ok", "refused" (not a PDF we accept: it does not parse, is encrypted or carries
active content), "over_budget" (checking it would cost more than allowed).
"""

import json
import resource
import sys
import warnings
from io import BytesIO
from typing import Any

# A PDF with more objects than this is refused rather than walked.
MAX_PDF_OBJECTS = 100_000
# Keys and action types that make a PDF do something when it is opened or clicked.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia"}
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/GoToR",
    "/Rendition",
    "/RichMediaExecute",
    "/Sound",
    "/Movie",
}
ACTIVE_SUBTYPES = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D", "/FileAttachment"}


class NotAcceptable(Exception):
    """Not a PDF we accept."""


class OverBudget(Exception):
    """Checking the PDF would cost more than its budget."""


class Inflated:
    """The bytes inflated from the PDF's streams so far. pypdf keeps each decoded stream, so this is also roughly
    what the decoded streams hold in memory."""

    def __init__(self, budget: int):
        self.budget = budget
        self.total = 0
        self.over = False

    def add(self, amount: int) -> None:
        self.total += amount
        if self.total > self.budget:
            # Kept as well as raised: pypdf, reading leniently, may swallow the exception and go on.
            self.over = True
            raise OverBudget


def _count_inflated(inflated: Inflated) -> None:
    """Makes every stream pypdf decodes count against the budget. pypdf has no total of its own: its limits hold per
    stream, and a file with many streams inflates each one up to that limit (finding 3: six streams, 420 MB)."""
    import pypdf.filters
    from pypdf.errors import LimitReachedError

    decode = pypdf.filters.decode_stream_data

    def counted(stream: Any) -> bytes:
        try:
            data: bytes = decode(stream)
        except LimitReachedError:  # one stream past pypdf's own limit, which is set to the whole budget
            inflated.over = True
            raise
        inflated.add(len(data))
        return data

    # Looked up in pypdf.filters at each call (generic/_data_structures.py, EncodedStreamObject.get_data).
    pypdf.filters.decode_stream_data = counted


def _is_active(root: Any) -> bool:
    """Walks every object reachable from the trailer and looks for active content."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                return True
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if ACTIVE_KEYS & set(item.keys()):
                return True
            if item.get("/S") in ACTIVE_ACTIONS or item.get("/Subtype") in ACTIVE_SUBTYPES:
                return True
            if item.get("/Type") == "/EmbeddedFile":
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def rewrite(data: bytes, inflated: Inflated) -> bytes:
    """The PDF written anew page by page, without its metadata; NotAcceptable or OverBudget otherwise."""
    from pypdf import PdfReader, PdfWriter, apply_configuration
    from pypdf.errors import LimitReachedError
    from pypdf.generic import NameObject

    # pypdf's per-stream limits no higher than the whole file's budget (its defaults are 75 MB a stream).
    limit = max(inflated.budget, 1)
    per_stream: dict[str, Any] = {
        name: limit
        for name in (
            "maximum_declared_stream_length",
            "array_based_stream_maximum_output_length",
            "jbig2_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "zlib_maximum_output_length",
            "brotli_maximum_output_length",
            "image_maximum_buffer_size",
            "stream_decoding_work_maximum_length",
        )
    }
    try:
        with warnings.catch_warnings(), apply_configuration(**per_stream):
            warnings.simplefilter("ignore")
            reader = PdfReader(BytesIO(data), strict=False)
            if reader.is_encrypted or _is_active(reader.trailer):
                raise NotAcceptable
            writer = PdfWriter()
            for page in reader.pages:
                copy = writer.add_page(page)
                for key in ("/Metadata", "/PieceInfo", "/AA"):
                    copy.pop(NameObject(key), None)
            if not writer.pages:
                raise NotAcceptable
            writer._info = None  # no document information dictionary: pypdf would add itself as producer
            out = BytesIO()
            writer.write(out)
    except (OverBudget, LimitReachedError, MemoryError, RecursionError) as exc:
        raise OverBudget from exc
    except NotAcceptable:
        raise
    except Exception as exc:  # a hostile file can make any parser raise anything; it is then simply refused
        raise NotAcceptable from exc
    if inflated.over:
        raise OverBudget
    return out.getvalue()


def _peak_memory() -> int:
    """This process's peak resident memory in bytes. Not ru_maxrss: Linux carries that over from the worker that
    started this process, through fork and exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _report(status: str, inflated: Inflated) -> bytes:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (
        json.dumps(
            {
                "status": status,
                "inflated": inflated.total,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_memory": _peak_memory(),
            }
        ).encode()
        + b"\n"
    )


def main(argv: list[str]) -> int:
    max_inflated, cpu_seconds, memory = (int(value) for value in argv[1:4])
    # Past the soft CPU limit the kernel ends the process (SIGXCPU); the parent reads that as over budget.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # Address space: an allocation past it is a MemoryError here, not a larger worker.
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no copy of the file on disk
    inflated = Inflated(max_inflated)
    data = sys.stdin.buffer.read()
    try:
        _count_inflated(inflated)
        rewritten = rewrite(data, inflated)
    except NotAcceptable:
        sys.stdout.buffer.write(_report("refused", inflated))
        return 0
    except OverBudget:
        sys.stdout.buffer.write(_report("over_budget", inflated))
        return 0
    sys.stdout.buffer.write(_report("ok", inflated) + rewritten)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
