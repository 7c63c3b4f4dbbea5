"""Grid intake (统一受理、分流办理、评价反馈): a 网格员 reports an event from their grid; the township
dispatches it as a case or records it resolved inside the grid; the result and the party's
satisfaction go back to the 网格员."""
