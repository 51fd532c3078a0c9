"""Standard wording that many unrelated documents share: it must never make one a derivative of another.

Two lists, both matched on normalised words (case, punctuation and layout do not matter):

* PASSAGES: fixed legal and marking texts (distribution statements, export-control warnings,
  rights legends, destruction notices, email disclaimers) and the public standards that templates
  quote word for word (standards.py: the NIST SP 800-171 requirement statements). Every word k-gram of them is a stop
  k-gram, so the fixed parts vanish wherever they occur, in any of the usual variants.
* LABELS: short marking labels and tokens (one to three words) such as the designation indicator's
  `Controlled by:` lines. They are too short to be k-grams of their own, so their words are masked.

Masked words act as barriers: no k-gram spans them and no matched passage bridges them, so two
documents that share a statement, a DI block and a filled-in office name still show only short,
separate runs of shared words.
"""
from __future__ import annotations

from cuiscan.derivatives.standards import NIST_800_171_REQUIREMENTS

PASSAGES: tuple[str, ...] = (
    # DoDI 5230.24 distribution statements (fixed wording; reason, date and office vary)
    "Approved for public release; distribution is unlimited.",
    "Approved for public release: distribution unlimited.",
    "Distribution authorized to U.S. Government agencies only",
    "Distribution authorized to U.S. Government agencies and their contractors",
    "Distribution authorized to the Department of Defense and U.S. DoD contractors only",
    "Distribution authorized to DoD and U.S. DoD contractors only",
    "Distribution authorized to DoD Components only",
    "Further dissemination only as directed by",
    "or higher DoD authority",
    "Other requests for this document shall be referred to",
    "Other requests shall be referred to",
    "Distribution authorized to U.S. Government agencies and private individuals or enterprises "
    "eligible to obtain export-controlled technical data in accordance with DoD Directive 5230.25",
    # Export-control warnings (DoD 5230.25, ITAR, EAR)
    "WARNING - This document contains technical data whose export is restricted by the Arms Export "
    "Control Act (Title 22, U.S.C., Sec 2751, et seq.) or the Export Administration Act of 1979 "
    "(Title 50, U.S.C., App. 2401 et seq.), as amended. Violations of these export laws are subject "
    "to severe criminal penalties. Disseminate in accordance with provisions of DoD Directive 5230.25.",
    "WARNING: This document contains technical data whose export is restricted by the Arms Export "
    "Control Act (22 U.S.C. 2751 et seq.) or the Export Control Reform Act of 2018 (50 U.S.C. 4801 "
    "et seq.). Violations of these export laws are subject to severe criminal penalties. "
    "Disseminate in accordance with provisions of DoD Directive 5230.25.",
    "This document contains technical data whose export is restricted by the Arms Export Control Act "
    "or the Export Administration Act of 1979, as amended, Title 50, U.S.C., App. 2401 et seq.",
    "This document contains information subject to the International Traffic in Arms Regulations "
    "(ITAR), 22 CFR 120-130. It may not be exported, released or disclosed to foreign persons "
    "without prior written approval from the U.S. Department of State.",
    "This technical data is controlled under the Export Administration Regulations (EAR), "
    "15 CFR 730-774, and may not be exported or re-exported without authorization from the "
    "U.S. Department of Commerce.",
    "Export of this information is restricted by the Export Administration Regulations",
    # Destruction notices
    "DESTRUCTION NOTICE - For classified documents, follow the procedures in DoD 5220.22-M, National "
    "Industrial Security Program Operating Manual, Chapter 5, Section 7, or DoD 5200.1-R, Information "
    "Security Program Regulation, Chapter VI. For unclassified, limited documents, destroy by any "
    "method that will prevent disclosure of contents or reconstruction of the document.",
    "Destroy by any method that will prevent disclosure of contents or reconstruction of the document.",
    "Dispose of this document in accordance with the CUI destruction requirements",
    # Rights-in-data legends (DFARS 252.227-7013/7014)
    "The Government's rights to use, modify, reproduce, release, perform, display, or disclose these "
    "technical data are restricted by paragraph (b)(2) of the Rights in Technical Data - Noncommercial "
    "Items clause contained in the above identified contract. Any reproduction of technical data or "
    "portions thereof marked with this legend must also reproduce the markings.",
    "The Government's rights to use, modify, reproduce, release, perform, display, or disclose this "
    "software are restricted by paragraph (b)(3) of the Rights in Noncommercial Computer Software and "
    "Noncommercial Computer Software Documentation clause contained in the above identified contract. "
    "Any reproduction of computer software or portions thereof marked with this legend must also "
    "reproduce the markings.",
    # CUI warning boxes and notices
    "WARNING - CONTROLLED UNCLASSIFIED INFORMATION",
    "This document may contain elements of controlled unclassified information",
    "shall not be used as a source of derivative classification",
    "This content has been reviewed for both Classified National Security Information (CNSI) and CUI",
    "This document contains Controlled Unclassified Information (CUI). Handle, store and transmit in "
    "accordance with DoDI 5200.48.",
    "Controlled Unclassified Information must be safeguarded and disseminated in accordance with "
    "32 CFR Part 2002 and the CUI Registry",
    "Unauthorized disclosure of this information may result in civil and criminal penalties",
    # Email disclaimers
    "This e-mail and any attachments are intended only for the use of the addressee(s) named above "
    "and may contain information that is privileged, confidential or otherwise protected from "
    "disclosure. If you are not the intended recipient, you are hereby notified that any review, "
    "dissemination, distribution or copying of this e-mail is strictly prohibited. If you have "
    "received this e-mail in error, please notify the sender immediately and delete it.",
    "This message may contain Controlled Unclassified Information. Do not forward outside of "
    "authorized channels.",
    # Public standards quoted in marked and public documents alike (standards.py)
    *NIST_800_171_REQUIREMENTS,
)

LABELS: tuple[str, ...] = (
    "CUI", "controlled unclassified information", "controlled by", "cui category", "cui categories",
    "distribution statement", "dissemination control", "distribution dissemination control",
    "limited dissemination control", "ldc", "poc", "point of contact", "decontrol on",
    "decontrol date", "noforn", "fedcon", "nocon", "fed only", "display only", "rel to",
    "attorney client", "dl only",
)
