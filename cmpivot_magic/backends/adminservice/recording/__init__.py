"""Recording a site's AdminService exchanges and replaying them offline.

``record.py`` keeps each exchange of a connection made with ``record=`` and saves it under
``pseudonyms.py``'s consistent pseudonyms; ``replay.py`` serves a saved recording to a
``replay://`` connection; ``exchanges.py`` says what one exchange and the file hold. Both are
sessions handed to the client when ``AdminServiceBackend.from_url`` builds it (the client takes
the ``requests.Session`` it is given), never swapped in afterwards.
"""

from __future__ import annotations

from .exchanges import Recording
from .record import RecordingSession, recorder
from .replay import ReplaySession

__all__ = ["Recording", "RecordingSession", "ReplaySession", "recorder"]
