"""The sinks a source kind may feed (toit.imports.mappings.SourceKind.sink)."""

from toit.imports.sinks.demands import DemandSink
from toit.imports.sinks.dwellings import DwellingCaseSink, PstSink
from toit.imports.sinks.energy import DpeSink
from toit.imports.sinks.events import EventSink
from toit.imports.sinks.fsl import FslSink
from toit.imports.sinks.reports import ReportSink
from toit.imports.sinks.stays import CapacitySink, OccupancySummarySink, StaySink

SINKS = {
    sink.code: sink
    for sink in (
        ReportSink(),
        EventSink(),
        FslSink(),
        DwellingCaseSink(),
        PstSink(),
        DpeSink(),
        StaySink(),
        CapacitySink(),
        OccupancySummarySink(),
        DemandSink(),
    )
}
