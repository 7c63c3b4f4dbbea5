"""风险监测预警: the office's risk rules, their evaluation on cases, and the warnings they raise.

``rules`` reads and stores the rules (an office setting); ``evaluate`` finds the hits of one
case (after every use case that changes it) and the time-based ones of the whole office (the
daily scan); ``alerts`` lists the warnings and records their acknowledgement and follow-up.
"""
