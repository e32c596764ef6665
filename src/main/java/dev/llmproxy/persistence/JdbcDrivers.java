package dev.llmproxy.persistence;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deregisters the JDBC drivers the WAR's own class loader registered (the bundled sqlite-jdbc and PostgreSQL
 * drivers register themselves when first loaded). Left registered, DriverManager would pin the class loader after
 * undeploy and Tomcat warns "registered the JDBC driver but failed to unregister it".
 */
public final class JdbcDrivers {
    private static final Logger LOG = Logger.getLogger(JdbcDrivers.class.getName());

    private JdbcDrivers() {
    }

    public static void deregisterLoadedBy(ClassLoader loader) {
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == loader) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException e) {
                    LOG.log(Level.WARNING, "Could not deregister JDBC driver " + driver.getClass().getName(), e);
                }
            }
        }
    }
}
