package io.greenlight.process;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.ibatis.datasource.pooled.PooledDataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.util.ReflectUtil;

/**
 * The scenario engine's database, counting the commits that wrote something (an insert, update or delete since the
 * last commit or rollback on that connection): what a request costs the database, whichever command or job wrote it
 * ({@link WorkPerRequestTest}). A read-only transaction is not counted.
 */
public class CountedCommits implements ProcessEnginePlugin {

  private static final AtomicLong WRITING_COMMITS = new AtomicLong();

  /** Commits that wrote, since the JVM started. */
  static long count() {
    return WRITING_COMMITS.get();
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    // What the engine would make from its jdbcUrl itself, counted.
    DataSource pooled = new PooledDataSource(ReflectUtil.getClassLoader(), configuration.getJdbcDriver(),
        configuration.getJdbcUrl(), configuration.getJdbcUsername(), configuration.getJdbcPassword());
    configuration.setDataSource((DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, arguments) -> {
          Object result = invoke(pooled, method, arguments);
          return result instanceof Connection connection ? counted(connection) : result;
        }));
  }

  private static Connection counted(Connection connection) {
    InvocationHandler handler = new InvocationHandler() {
      private boolean wrote;

      @Override
      public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
        switch (method.getName()) {
          case "prepareStatement", "prepareCall" -> wrote |= writes((String) arguments[0]);
          case "commit" -> {
            Object result = CountedCommits.invoke(connection, method, arguments);
            if (wrote) {
              WRITING_COMMITS.incrementAndGet();
            }
            wrote = false;
            return result;
          }
          case "rollback" -> wrote = false;
          default -> { }
        }
        return CountedCommits.invoke(connection, method, arguments);
      }
    };
    return (Connection) Proxy.newProxyInstance(CountedCommits.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private static boolean writes(String sql) {
    String statement = sql.stripLeading().toLowerCase(Locale.ROOT);
    return statement.startsWith("insert") || statement.startsWith("update") || statement.startsWith("delete")
        || statement.startsWith("merge");
  }

  private static Object invoke(Object target, Method method, Object[] arguments) throws Throwable {
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {}

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {}
}
