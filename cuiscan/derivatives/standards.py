"""Public standards whose wording sits in marked templates and public documents alike.

The security requirements of NIST SP 800-171 Rev. 2 (Protecting Controlled Unclassified Information
in Nonfederal Systems and Organizations, February 2020; a work of the U.S. Government, not subject
to copyright) are quoted word for word by system security plans, POA&Ms, policies and assessment
guides, marked or public. Quoting them copies nothing controlled, so their k-grams are stop k-grams
(boilerplate.py): they never make one document a derivative of another. Written out here from the
public standard, one requirement per line, without the requirement numbers.
"""
from __future__ import annotations

NIST_800_171_REQUIREMENTS: tuple[str, ...] = (
    # 3.1 Access Control
    "Limit system access to authorized users, processes acting on behalf of authorized users, and devices (including other systems).",
    "Limit system access to the types of transactions and functions that authorized users are permitted to execute.",
    "Control the flow of CUI in accordance with approved authorizations.",
    "Separate the duties of individuals to reduce the risk of malevolent activity without collusion.",
    "Employ the principle of least privilege, including for specific security functions and privileged accounts.",
    "Use non-privileged accounts or roles when accessing nonsecurity functions.",
    "Prevent non-privileged users from executing privileged functions and capture the execution of such functions in audit logs.",
    "Limit unsuccessful logon attempts.",
    "Provide privacy and security notices consistent with applicable CUI rules.",
    "Use session lock with pattern-hiding displays to prevent access and viewing of data after a period of inactivity.",
    "Terminate (automatically) a user session after a defined condition.",
    "Monitor and control remote access sessions.",
    "Employ cryptographic mechanisms to protect the confidentiality of remote access sessions.",
    "Route remote access via managed access control points.",
    "Authorize remote execution of privileged commands and remote access to security-relevant information.",
    "Authorize wireless access prior to allowing such connections.",
    "Protect wireless access using authentication and encryption.",
    "Control connection of mobile devices.",
    "Encrypt CUI on mobile devices and mobile computing platforms.",
    "Verify and control/limit connections to and use of external systems.",
    "Limit use of portable storage devices on external systems.",
    "Control CUI posted or processed on publicly accessible systems.",
    # 3.2 Awareness and Training
    "Ensure that managers, systems administrators, and users of organizational systems are made aware of the security "
    "risks associated with their activities and of the applicable policies, standards, and procedures related to the "
    "security of those systems.",
    "Ensure that personnel are trained to carry out their assigned information security-related duties and responsibilities.",
    "Provide security awareness training on recognizing and reporting potential indicators of insider threat.",
    # 3.3 Audit and Accountability
    "Create and retain system audit logs and records to the extent needed to enable the monitoring, analysis, "
    "investigation, and reporting of unlawful or unauthorized system activity.",
    "Ensure that the actions of individual system users can be uniquely traced to those users, so they can be held "
    "accountable for their actions.",
    "Review and update logged events.",
    "Alert in the event of an audit logging process failure.",
    "Correlate audit record review, analysis, and reporting processes for investigation and response to indications "
    "of unlawful, unauthorized, suspicious, or unusual activity.",
    "Provide audit record reduction and report generation to support on-demand analysis and reporting.",
    "Provide a system capability that compares and synchronizes internal system clocks with an authoritative source "
    "to generate time stamps for audit records.",
    "Protect audit information and audit logging tools from unauthorized access, modification, and deletion.",
    "Limit management of audit logging functionality to a subset of privileged users.",
    # 3.4 Configuration Management
    "Establish and maintain baseline configurations and inventories of organizational systems (including hardware, "
    "software, firmware, and documentation) throughout the respective system development life cycles.",
    "Establish and enforce security configuration settings for information technology products employed in "
    "organizational systems.",
    "Track, review, approve or disapprove, and log changes to organizational systems.",
    "Analyze the security impact of changes prior to implementation.",
    "Define, document, approve, and enforce physical and logical access restrictions associated with changes to "
    "organizational systems.",
    "Employ the principle of least functionality by configuring organizational systems to provide only essential capabilities.",
    "Restrict, disable, or prevent the use of nonessential programs, functions, ports, protocols, and services.",
    "Apply deny-by-exception (blacklisting) policy to prevent the use of unauthorized software or deny-all, "
    "permit-by-exception (whitelisting) policy to allow the execution of authorized software.",
    "Control and monitor user-installed software.",
    # 3.5 Identification and Authentication
    "Identify system users, processes acting on behalf of users, and devices.",
    "Authenticate (or verify) the identities of users, processes, or devices, as a prerequisite to allowing access "
    "to organizational systems.",
    "Use multifactor authentication for local and network access to privileged accounts and for network access to "
    "non-privileged accounts.",
    "Employ replay-resistant authentication mechanisms for network access to privileged and non-privileged accounts.",
    "Prevent reuse of identifiers for a defined period.",
    "Disable identifiers after a defined period of inactivity.",
    "Enforce a minimum password complexity and change of characters when new passwords are created.",
    "Prohibit password reuse for a specified number of generations.",
    "Allow temporary password use for system logons with an immediate change to a permanent password.",
    "Store and transmit only cryptographically-protected passwords.",
    "Obscure feedback of authentication information.",
    # 3.6 Incident Response
    "Establish an operational incident-handling capability for organizational systems that includes preparation, "
    "detection, analysis, containment, recovery, and user response activities.",
    "Track, document, and report incidents to designated officials and/or authorities both internal and external "
    "to the organization.",
    "Test the organizational incident response capability.",
    # 3.7 Maintenance
    "Perform maintenance on organizational systems.",
    "Provide controls on the tools, techniques, mechanisms, and personnel used to conduct system maintenance.",
    "Ensure equipment removed for off-site maintenance is sanitized of any CUI.",
    "Check media containing diagnostic and test programs for malicious code before the media are used in "
    "organizational systems.",
    "Require multifactor authentication to establish nonlocal maintenance sessions via external network connections "
    "and terminate such connections when nonlocal maintenance is complete.",
    "Supervise the maintenance activities of maintenance personnel without required access authorization.",
    # 3.8 Media Protection
    "Protect (i.e., physically control and securely store) system media containing CUI, both paper and digital.",
    "Limit access to CUI on system media to authorized users.",
    "Sanitize or destroy system media containing CUI before disposal or release for reuse.",
    "Mark media with necessary CUI markings and distribution limitations.",
    "Control access to media containing CUI and maintain accountability for media during transport outside of "
    "controlled areas.",
    "Implement cryptographic mechanisms to protect the confidentiality of CUI stored on digital media during "
    "transport unless otherwise protected by alternative physical safeguards.",
    "Control the use of removable media on system components.",
    "Prohibit the use of portable storage devices when such devices have no identifiable owner.",
    "Protect the confidentiality of backup CUI at storage locations.",
    # 3.9 Personnel Security
    "Screen individuals prior to authorizing access to organizational systems containing CUI.",
    "Ensure that organizational systems containing CUI are protected during and after personnel actions such as "
    "terminations and transfers.",
    # 3.10 Physical Protection
    "Limit physical access to organizational systems, equipment, and the respective operating environments to "
    "authorized individuals.",
    "Protect and monitor the physical facility and support infrastructure for organizational systems.",
    "Escort visitors and monitor visitor activity.",
    "Maintain audit logs of physical access.",
    "Control and manage physical access devices.",
    "Enforce safeguarding measures for CUI at alternate work sites.",
    # 3.11 Risk Assessment
    "Periodically assess the risk to organizational operations (including mission, functions, image, or reputation), "
    "organizational assets, and individuals, resulting from the operation of organizational systems and the "
    "associated processing, storage, or transmission of CUI.",
    "Scan for vulnerabilities in organizational systems and applications periodically and when new vulnerabilities "
    "affecting those systems and applications are identified.",
    "Remediate vulnerabilities in accordance with risk assessments.",
    # 3.12 Security Assessment
    "Periodically assess the security controls in organizational systems to determine if the controls are effective "
    "in their application.",
    "Develop and implement plans of action designed to correct deficiencies and reduce or eliminate vulnerabilities "
    "in organizational systems.",
    "Monitor security controls on an ongoing basis to ensure the continued effectiveness of the controls.",
    "Develop, document, and periodically update system security plans that describe system boundaries, system "
    "environments of operation, how security requirements are implemented, and the relationships with or "
    "connections to other systems.",
    # 3.13 System and Communications Protection
    "Monitor, control, and protect communications (i.e., information transmitted or received by organizational "
    "systems) at the external boundaries and key internal boundaries of organizational systems.",
    "Employ architectural designs, software development techniques, and systems engineering principles that promote "
    "effective information security within organizational systems.",
    "Separate user functionality from system management functionality.",
    "Prevent unauthorized and unintended information transfer via shared system resources.",
    "Implement subnetworks for publicly accessible system components that are physically or logically separated "
    "from internal networks.",
    "Deny network communications traffic by default and allow network communications traffic by exception "
    "(i.e., deny all, permit by exception).",
    "Prevent remote devices from simultaneously establishing non-remote connections with organizational systems and "
    "communicating via some other connection to resources in external networks (i.e., split tunneling).",
    "Implement cryptographic mechanisms to prevent unauthorized disclosure of CUI during transmission unless "
    "otherwise protected by alternative physical safeguards.",
    "Terminate network connections associated with communications sessions at the end of the sessions or after a "
    "defined period of inactivity.",
    "Establish and manage cryptographic keys for cryptography employed in organizational systems.",
    "Employ FIPS-validated cryptography when used to protect the confidentiality of CUI.",
    "Prohibit remote activation of collaborative computing devices and provide indication of devices in use to "
    "users present at the device.",
    "Control and monitor the use of mobile code.",
    "Control and monitor the use of Voice over Internet Protocol (VoIP) technologies.",
    "Protect the authenticity of communications sessions.",
    "Protect the confidentiality of CUI at rest.",
    # 3.14 System and Information Integrity
    "Identify, report, and correct system flaws in a timely manner.",
    "Provide protection from malicious code at designated locations within organizational systems.",
    "Monitor system security alerts and advisories and take action in response.",
    "Update malicious code protection mechanisms when new releases are available.",
    "Perform periodic scans of organizational systems and real-time scans of files from external sources as files "
    "are downloaded, opened, or executed.",
    "Monitor organizational systems, including inbound and outbound communications traffic, to detect attacks and "
    "indicators of potential attacks.",
    "Identify unauthorized use of organizational systems.",
)
